// What the guest helper has written to the test's socket, parsed with the same parse_line
// hotseatd uses; a line hotseatd would refuse fails the test.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "guest/protocol.h"
#include "socket_server.h"

namespace hotseat::test {

inline std::vector<guest::Message> helper_messages(const std::string& received) {
    std::vector<guest::Message> out;
    std::istringstream in(received);
    for (std::string line; std::getline(in, line);) {
        auto parsed = guest::parse_line(line);
        EXPECT_TRUE(parsed.message) << line << ": " << parsed.error;
        if (parsed.message) out.push_back(*parsed.message);
    }
    return out;
}

// The messages of one kind (Hello, Connector, ...), in order.
template <typename T>
std::vector<T> helper_messages_of(const std::string& received) {
    std::vector<T> out;
    for (const auto& m : helper_messages(received))
        if (auto* v = std::get_if<T>(&m)) out.push_back(*v);
    return out;
}

// The questions a guest helper fixture asks of what the helper said on its SocketServer, for the
// fixtures to inherit: `count<Hello>()` reads everything received so far, parsed anew.
class HelperLines {
public:
    explicit HelperLines(SocketServer& server) : server_(server) {}

    std::vector<guest::Message> messages() { return helper_messages(server_.received()); }
    template <typename T>
    std::vector<T> all() {
        return helper_messages_of<T>(server_.received());
    }
    template <typename T>
    std::size_t count() {
        return all<T>().size();
    }

private:
    SocketServer& server_;  // a member of the fixture, constructed after this base but read only later
};

}  // namespace hotseat::test
