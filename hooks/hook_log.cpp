#include "hook_log.h"

#include <unistd.h>

namespace hotseat::hook {

void Log::line(const char* level, const std::string& message) const {
    std::string text = "hotseat-hook: " + domain_ + ": " + level + message + "\n";
    // One write(2) per line: libvirtd reads the pipe while we write.
    ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
    (void)ignored;
}

}  // namespace hotseat::hook
