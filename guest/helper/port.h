// The helper's end of the guest channel: /dev/virtio-ports/org.hotseat.guest.0 in a real guest,
// or (tests) a unix socket or a pty. Non-blocking; lines that cannot be written yet wait in a
// small bounded queue. A virtio port reports POLLHUP while nobody listens on the host: the helper
// then stops writing and says hello again once the host is back.
#pragma once

#include <deque>
#include <string>

#include "util/fd.h"

namespace hotseat::guest {

class Port {
public:
    explicit Port(std::string path) : path_(std::move(path)) {}
    Port(const Port&) = delete;
    Port& operator=(const Port&) = delete;

    bool open(std::string* error);  // a unix socket is connected to, anything else opened
    int fd() const { return fd_.get(); }
    bool is_socket() const { return socket_; }
    void queue(std::string line);  // dropped (oldest first) beyond kMaxQueued lines
    bool pending() const { return !queue_.empty(); }
    // Writes what it can; false when the other end is gone for good (socket/pty closed).
    bool flush(std::string* error);
    void clear() { queue_.clear(); }

    static constexpr std::size_t kMaxQueued = 64;

private:
    std::string path_;
    util::UniqueFd fd_;
    bool socket_ = false;
    std::deque<std::string> queue_;
    std::size_t written_ = 0;  // of queue_.front()
};

}  // namespace hotseat::guest
