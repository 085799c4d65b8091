#include "runtime_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace hotseat::hook {

std::optional<RuntimeLock> RuntimeLock::acquire(const std::string& runtime_dir, std::string* error) {
    std::error_code ec;
    std::filesystem::create_directories(runtime_dir, ec);
    if (ec) {
        *error = "cannot create " + runtime_dir + ": " + ec.message();
        return std::nullopt;
    }
    std::string path = runtime_dir + "/hook.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = "cannot open " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    int locked;
    do locked = ::flock(fd, LOCK_EX);
    while (locked != 0 && errno == EINTR);
    if (locked != 0) {
        *error = "cannot lock " + path + ": " + std::strerror(errno);
        ::close(fd);
        return std::nullopt;
    }
    return RuntimeLock(fd);
}

RuntimeLock::~RuntimeLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace hotseat::hook
