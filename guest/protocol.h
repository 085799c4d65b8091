// The guest channel's wire format (docs/guest-channel.md): JSON lines, one message a
// line, between the guest helper (hotseat-guest) and hotseatd. Pure: bytes in, values out, so the
// parser can be fuzzed and both ends share one definition of what is valid.
//
// Protocol 2 (docs/guest-channel.md) is negotiated in hello: a helper that says protocol 2 gets a hello back
// and may send postpone and inhibit; the host tells it of pending stops. A protocol 1 helper
// hears nothing and works as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hotseat::guest {

inline constexpr int kProtocolVersion = 2;
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
// Protocol 2: the person at the desk asks to keep it ("Keep my desk"): push the pending stop
// `seconds` from now (the host caps how far).
struct Postpone {
    std::uint32_t seconds = 0;  // 1 .. kMaxPostponeSeconds
};
// Protocol 2: something in the guest holds it from going idle (audio playing, a logind idle
// inhibitor), or (active false) nothing does any more. A state, sent on change and with hello.
struct Inhibit {
    bool active = false;
    std::string reason;  // when active: printable, 1 .. kMaxReasonBytes
};
// Protocol 2: a chord the host asked the helper to watch (HostHello::hotkeys) went down on one of
// the guest's keyboards. The keys as the host named them (evdev names, "KEY_LEFTMETA").
struct Hotkey {
    std::vector<std::string> keys;  // 1 .. kMaxChordKeys names
};
// Well-formed, but a type this version does not know: ignored by the reader.
struct Unknown {
    std::string type;
};

inline constexpr std::uint32_t kMaxPostponeSeconds = 24 * 3600;
inline constexpr std::size_t kMaxReasonBytes = 128;
inline constexpr std::size_t kMaxChordKeys = 8;  // keys in one hotkey chord
inline constexpr std::size_t kMaxHotkeys = 32;   // chords in one host hello

// Guest → host.
using Message = std::variant<Hello, Connector, Input, Postpone, Inhibit, Hotkey, Unknown>;

// Host → guest (protocol 2). The host's hello answers the helper's: the protocol both speak (the
// lower of the two). It is an object like every line, so later versions add fields to it.
struct HostHello {
    int protocol = kProtocolVersion;
    std::string host_version;  // hotseatd's version
    // The chords of the hotkey rules this guest may fire (its own VM's, docs/guest-channel.md):
    // the helper watches these on its keyboards and sends `hotkey` when one goes down. Absent
    // (an older host) or empty: none.
    std::vector<std::vector<std::string>> hotkeys = {};
};
// A stop of this VM is pending: it goes ahead at deadline_us (the host's wall clock, µs since the
// epoch), in_ms after this line was written, unless postponed or cancelled.
struct StopPending {
    std::uint64_t deadline_us = 0;
    std::uint64_t in_ms = 0;
    std::string action;  // "stop", "force-stop" or "hibernate"
    std::string reason;  // printable, at most kMaxReasonBytes * 2
};
struct StopCancelled {};
using HostMessage = std::variant<HostHello, StopPending, StopCancelled, Unknown>;

struct HostParseResult {
    std::optional<HostMessage> message;
    std::string error;
};

struct ParseResult {
    std::optional<Message> message;  // set when the line is valid
    std::string error;               // why it is not, when message is empty
};

// One line without its newline. Never throws; any byte sequence yields a message or an error.
ParseResult parse_line(std::string_view line);

// The line (with its trailing newline) that parse_line reads back as `message`.
std::string encode(const Message& message);

// The helper's side: a line from the host. Never throws.
HostParseResult parse_host_line(std::string_view line);
std::string encode_host(const HostMessage& message);

}  // namespace hotseat::guest
