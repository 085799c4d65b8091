// The guest channel's wire format (DESIGN §5.5, docs/guest-channel.md): JSON lines, one message a
// line, between the guest helper (hotseat-guest) and hotseatd. Pure: bytes in, values out, so the
// parser can be fuzzed and both ends share one definition of what is valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hotseat::guest {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxLineBytes = 4096;  // longer lines are refused, not parsed
inline constexpr const char* kChannelName = "org.hotseat.guest.0";

// First message of every connection: who speaks.
struct Hello {
    int protocol = kProtocolVersion;
    std::string helper_version;  // "0.1.0"
};
// A DRM connector's status changed in the guest (or, with initial, as found at helper start).
struct Connector {
    std::string card;       // "card0"
    std::string connector;  // "HDMI-A-1"
    bool connected = false;
    bool initial = false;
};
// The guest saw input idle_ms ago (coalesced: at most one such line every few seconds).
struct Input {
    std::uint32_t idle_ms = 0;
};
// Well-formed, but a type this version does not know: ignored by the reader.
struct Unknown {
    std::string type;
};

using Message = std::variant<Hello, Connector, Input, Unknown>;

struct ParseResult {
    std::optional<Message> message;  // set when the line is valid
    std::string error;               // why it is not, when message is empty
};

// One line without its newline. Never throws; any byte sequence yields a message or an error.
ParseResult parse_line(std::string_view line);

// The line (with its trailing newline) that parse_line reads back as `message`.
std::string encode(const Message& message);

}  // namespace hotseat::guest
