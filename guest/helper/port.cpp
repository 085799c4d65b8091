#include "helper/port.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>  // write

#include <cstring>

namespace hotseat::guest {

bool Port::open(std::string* error) {
    struct stat st {};
    if (::stat(path_.c_str(), &st) < 0) {
        *error = path_ + ": " + std::strerror(errno);
        return false;
    }
    socket_ = S_ISSOCK(st.st_mode);
    if (socket_) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path_.size() >= sizeof(addr.sun_path)) {
            *error = path_ + ": path too long for a unix socket";
            return false;
        }
        std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
        fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!fd_ || ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
            *error = "connect " + path_ + ": " + std::strerror(errno);
            return false;
        }
        ::fcntl(fd_.get(), F_SETFL, ::fcntl(fd_.get(), F_GETFL) | O_NONBLOCK);
        return true;
    }
    fd_.reset(::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!fd_) {
        *error = path_ + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

void Port::queue(std::string line) {
    if (queue_.size() >= kMaxQueued) {
        queue_.pop_front();
        written_ = 0;
    }
    queue_.push_back(std::move(line));
}

bool Port::flush(std::string* error) {
    while (!queue_.empty()) {
        const std::string& line = queue_.front();
        ssize_t n = ::send(fd_.get(), line.data() + written_, line.size() - written_, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) n = ::write(fd_.get(), line.data() + written_, line.size() - written_);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return true;
            // A virtio port without a host listener: the line is lost, the helper will say hello
            // again when the host comes back.
            if (!socket_ && (errno == ENOTCONN || errno == EPIPE)) {
                queue_.clear();
                written_ = 0;
                return true;
            }
            *error = std::string("write: ") + std::strerror(errno);
            return false;
        }
        written_ += static_cast<std::size_t>(n);
        if (written_ == line.size()) {
            queue_.pop_front();
            written_ = 0;
        }
    }
    return true;
}

}  // namespace hotseat::guest
