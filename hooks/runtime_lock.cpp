#include "runtime_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hotseat::hook {

std::optional<RuntimeLock> RuntimeLock::acquire(const RuntimeDir& dir, std::string* error) {
    constexpr const char* kName = "hook.lock";
    int fd = dir.open_file(kName, O_RDWR | O_CREAT, error);
    if (fd < 0) return std::nullopt;
    int locked;
    do locked = ::flock(fd, LOCK_EX);
    while (locked != 0 && errno == EINTR);
    if (locked != 0) {
        *error = "cannot lock " + dir.path_of(kName) + ": " + std::strerror(errno);
        ::close(fd);
        return std::nullopt;
    }
    return RuntimeLock(fd);
}

RuntimeLock::~RuntimeLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace hotseat::hook
