#include "log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace hotseat::log {
namespace {

std::atomic<bool> verbose_flag{false};

bool to_journal() {
    // systemd sets JOURNAL_STREAM when stderr is a journal stream; then the level prefix is read.
    static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
    return journal;
}

const char* level_word(Level level) {
    switch (level) {
        case Level::Debug: return "debug: ";
        case Level::Info: return "";
        case Level::Notice: return "";
        case Level::Warning: return "warning: ";
        case Level::Error: return "error: ";
    }
    return "";
}

}  // namespace

void set_verbose(bool verbose) { verbose_flag = verbose; }

bool enabled(Level level) { return level != Level::Debug || verbose_flag.load(std::memory_order_relaxed); }

void write(Level level, const std::string& message) {
    if (!enabled(level)) return;
    std::string line;
    if (to_journal())
        line = "<" + std::to_string(static_cast<int>(level)) + ">" + message + "\n";
    else
        line = std::string("hotseatd: ") + level_word(level) + message + "\n";
    // One write(2) per line so lines from two threads never interleave.
    ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;
}

}  // namespace hotseat::log
