// A unix socket server for the guest channel tests: plays QEMU's end (mode='bind') for the
// daemon's reader, or hotseatd's end for the guest helper. Non-blocking; the test polls it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hotseat::test {

class SocketServer {
public:
    explicit SocketServer(std::string path);  // binds and listens; throws on failure
    ~SocketServer();
    SocketServer(const SocketServer&) = delete;
    SocketServer& operator=(const SocketServer&) = delete;

    bool accept();  // true once a client is connected (non-blocking)
    bool has_client() const { return client_ >= 0; }
    void send(const std::string& bytes);  // to the client, all of it
    // What fits now without blocking (a reader on the same thread must get to run in between).
    std::size_t try_send(std::string_view bytes);
    void drop_client();      // close the client's connection
    std::string received();  // everything read from the client so far (non-blocking)
    bool client_closed() const { return closed_; }

private:
    std::string path_;
    int listener_ = -1;
    int client_ = -1;
    std::string in_;
    bool closed_ = false;
};

}  // namespace hotseat::test
