#include "write_recorder.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace hotseat::test {

WriteRecorder::WriteRecorder(std::string root, const std::vector<std::string>& sys_paths) : root_(std::move(root)) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("inotify_init1 failed");
    for (const auto& path : sys_paths) {
        // The test bed path itself, which umockdev does not redirect (it starts with its root).
        int wd = ::inotify_add_watch(fd_, (root_ + path).c_str(), IN_CLOSE_WRITE);
        if (wd < 0) throw std::runtime_error("cannot watch " + root_ + path);
        paths_[wd] = path;
    }
}

WriteRecorder::~WriteRecorder() {
    if (fd_ >= 0) ::close(fd_);
}

std::vector<std::string> WriteRecorder::take() {
    std::vector<std::string> writes;
    alignas(inotify_event) char buffer[16384];
    for (;;) {
        ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return writes;
        for (ssize_t offset = 0; offset < n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
            if (event->mask & IN_CLOSE_WRITE) writes.push_back(paths_.at(event->wd));
            offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
    }
}

}  // namespace hotseat::test
