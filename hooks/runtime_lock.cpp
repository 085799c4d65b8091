#include "runtime_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

namespace hotseat::hook {

std::optional<RuntimeLock> RuntimeLock::acquire(const RuntimeDir& dir, std::string* error) {
    constexpr const char* kName = "hook.lock";
    util::UniqueFd fd = dir.open_file(kName, O_RDWR | O_CREAT, error);
    if (!fd) return std::nullopt;
    int locked;
    do locked = ::flock(fd.get(), LOCK_EX);
    while (locked != 0 && errno == EINTR);
    if (locked != 0) {
        *error = "cannot lock " + dir.path_of(kName) + ": " + std::strerror(errno);
        return std::nullopt;
    }
    return RuntimeLock(std::move(fd));
}

}  // namespace hotseat::hook
