#include "socket_server.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace hotseat::test {

SocketServer::SocketServer(std::string path) : path_(std::move(path)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0 ||
        ::listen(listener_, 4) < 0)
        throw std::runtime_error("cannot listen on " + path_ + ": " + std::strerror(errno));
}

SocketServer::~SocketServer() {
    drop_client();
    if (listener_ >= 0) ::close(listener_);
    ::unlink(path_.c_str());
}

bool SocketServer::accept() {
    if (client_ >= 0) return true;
    client_ = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client_ >= 0) closed_ = false;
    return client_ >= 0;
}

void SocketServer::send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) {
            pollfd p{client_, POLLOUT, 0};
            ::poll(&p, 1, 1000);
            continue;
        }
        if (n < 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

std::size_t SocketServer::try_send(std::string_view bytes) {
    ssize_t n = ::send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    return n < 0 ? 0 : static_cast<std::size_t>(n);
}

void SocketServer::drop_client() {
    if (client_ >= 0) ::close(client_);
    client_ = -1;
}

std::string SocketServer::received() {
    char buffer[4096];
    while (client_ >= 0) {
        ssize_t n = ::read(client_, buffer, sizeof(buffer));
        if (n > 0) {
            in_.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0) {
            closed_ = true;
            drop_client();
        }
        break;
    }
    return in_;
}

}  // namespace hotseat::test
