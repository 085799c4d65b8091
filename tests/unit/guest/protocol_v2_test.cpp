// Protocol 2 of the guest channel (docs/guest-channel.md): postpone and inhibit from the guest,
// hello, stop-pending and stop-cancelled from the host. Each encodes to one line that parses
// back to the same message; malformed lines say why and never throw.
#include <gtest/gtest.h>

#include "guest/protocol.h"

namespace hotseat::guest {
namespace {

template <typename T>
T guest_message(const std::string& line) {
    auto r = parse_line(line);
    EXPECT_TRUE(r.message.has_value()) << line << ": " << r.error;
    return r.message ? std::get<T>(*r.message) : T{};
}

template <typename T>
T host_message(const std::string& line) {
    auto r = parse_host_line(line);
    EXPECT_TRUE(r.message.has_value()) << line << ": " << r.error;
    return r.message ? std::get<T>(*r.message) : T{};
}

std::string without_newline(std::string line) {
    EXPECT_EQ(line.back(), '\n');
    line.pop_back();
    return line;
}

TEST(GuestProtocolV2, ThisVersionSpeaksTwo) { EXPECT_EQ(kProtocolVersion, 2); }

TEST(GuestProtocolV2, PostponeRoundTrips) {
    EXPECT_EQ(encode(Postpone{600}), "{\"seconds\":600,\"type\":\"postpone\"}\n");
    EXPECT_EQ(guest_message<Postpone>(without_newline(encode(Postpone{600}))).seconds, 600u);
    EXPECT_EQ(guest_message<Postpone>(R"({"type":"postpone","seconds":86400})").seconds, 86400u);
}

TEST(GuestProtocolV2, InhibitRoundTrips) {
    auto held = guest_message<Inhibit>(without_newline(encode(Inhibit{true, "audio playing (card0 pcm0p)"})));
    EXPECT_TRUE(held.active);
    EXPECT_EQ(held.reason, "audio playing (card0 pcm0p)");
    EXPECT_EQ(encode(Inhibit{false, "ignored"}), "{\"active\":false,\"type\":\"inhibit\"}\n");
    auto released = guest_message<Inhibit>(R"({"type":"inhibit","active":false})");
    EXPECT_FALSE(released.active);
    EXPECT_EQ(released.reason, "");
    // A reason is for a person: UTF-8 is fine (a film's title), control characters are not.
    EXPECT_EQ(guest_message<Inhibit>(R"({"type":"inhibit","active":true,"reason":"mpv: Amélie"})").reason,
              "mpv: Amélie");
}

TEST(GuestProtocolV2, HostLinesRoundTrip) {
    auto hello = host_message<HostHello>(without_newline(encode_host(HostHello{2, "0.1.0"})));
    EXPECT_EQ(hello.protocol, 2);
    EXPECT_EQ(hello.host_version, "0.1.0");
    StopPending sent{1700000060000000, 59000, "force-stop", "governor: host under memory pressure"};
    auto pending = host_message<StopPending>(without_newline(encode_host(sent)));
    EXPECT_EQ(pending.deadline_us, sent.deadline_us);
    EXPECT_EQ(pending.in_ms, 59000u);
    EXPECT_EQ(pending.action, "force-stop");
    EXPECT_EQ(pending.reason, sent.reason);
    EXPECT_EQ(encode_host(StopCancelled{}), "{\"type\":\"stop-cancelled\"}\n");
    host_message<StopCancelled>(R"({"type":"stop-cancelled"})");
}

TEST(GuestProtocolV2, LaterHostsMayAddToTheirHello) {
    // #18 and later add fields (the chords to watch): a helper of this version ignores them.
    auto hello = host_message<HostHello>(R"({"type":"hello","protocol":3,"host":"0.9.0","chords":[["KEY_F12"]]})");
    EXPECT_EQ(hello.protocol, 3);
    EXPECT_EQ(host_message<Unknown>(R"({"type":"chords","list":[]})").type, "chords");
}

TEST(GuestProtocolV2, TheDirectionsDoNotMix) {
    // A guest cannot send what only the host says, nor the host what only the guest says.
    EXPECT_TRUE(std::holds_alternative<Unknown>(*parse_line(R"({"type":"stop-cancelled"})").message));
    EXPECT_TRUE(std::holds_alternative<Unknown>(*parse_host_line(R"({"type":"postpone","seconds":5})").message));
}

TEST(GuestProtocolV2, MalformedGuestLinesSayWhy) {
    struct Case {
        const char* line;
        const char* error;
    } cases[] = {
        {R"({"type":"postpone"})", "postpone: \"seconds\" must be an integer from 1 to 86400"},
        {R"({"type":"postpone","seconds":0})", "postpone: \"seconds\" must be an integer from 1 to 86400"},
        {R"({"type":"postpone","seconds":86401})", "postpone: \"seconds\" must be an integer from 1 to 86400"},
        {R"({"type":"postpone","seconds":-5})", "postpone: \"seconds\" must be an integer from 1 to 86400"},
        {R"({"type":"postpone","seconds":1.5})", "postpone: \"seconds\" must be an integer from 1 to 86400"},
        {R"({"type":"inhibit"})", "inhibit: \"active\" must be a boolean"},
        {R"({"type":"inhibit","active":"yes"})", "inhibit: \"active\" must be a boolean"},
        {R"({"type":"inhibit","active":true})",
         "inhibit: \"reason\" must be a string of 1 to 128 bytes without control characters"},
        {R"({"type":"inhibit","active":true,"reason":""})",
         "inhibit: \"reason\" must be a string of 1 to 128 bytes without control characters"},
        {R"({"type":"inhibit","active":true,"reason":"a\nb"})",
         "inhibit: \"reason\" must be a string of 1 to 128 bytes without control characters"},
    };
    for (const auto& c : cases) {
        auto r = parse_line(c.line);
        EXPECT_FALSE(r.message.has_value()) << c.line;
        EXPECT_EQ(r.error, c.error) << c.line;
    }
    std::string long_reason = R"({"type":"inhibit","active":true,"reason":")" + std::string(129, 'x') + "\"}";
    EXPECT_FALSE(parse_line(long_reason).message.has_value());
}

TEST(GuestProtocolV2, MalformedHostLinesSayWhy) {
    struct Case {
        const char* line;
        const char* error;
    } cases[] = {
        {"", "not JSON"},
        {R"({"type":"hello","protocol":0,"host":"x"})", "hello: \"protocol\" must be an integer from 1 to 1000"},
        {R"({"type":"hello","protocol":2})", "hello: \"host\" must be a printable string of at most 64 bytes"},
        {R"({"type":"stop-pending","in_ms":1,"action":"stop","reason":"r"})",
         "stop-pending: \"deadline_us\" must be a non-negative integer"},
        {R"({"type":"stop-pending","deadline_us":-1,"in_ms":1,"action":"stop","reason":"r"})",
         "stop-pending: \"deadline_us\" must be a non-negative integer"},
        {R"({"type":"stop-pending","deadline_us":1,"action":"stop","reason":"r"})",
         "stop-pending: \"in_ms\" must be a non-negative integer"},
        {R"({"type":"stop-pending","deadline_us":1,"in_ms":1,"action":"reboot","reason":"r"})",
         "stop-pending: \"action\" must be stop, force-stop or hibernate"},
        {R"({"type":"stop-pending","deadline_us":1,"in_ms":1,"action":"stop"})",
         "stop-pending: \"reason\" must be a string of 1 to 256 bytes without control characters"},
        {R"({"type":"hello","protocol":2,"host":"x","hotkeys":"KEY_A"})",
         "hello: \"hotkeys\" must be an array of at most 32 chords"},
        {R"({"type":"hello","protocol":2,"host":"x","hotkeys":[[]]})",
         "hello: each of \"hotkeys\" must be an array of 1 to 8 key names"},
        {R"({"type":"hello","protocol":2,"host":"x","hotkeys":[["key_a"]]})",
         "hello: each of \"hotkeys\" must be an array of 1 to 8 key names"},
    };
    for (const auto& c : cases) {
        auto r = parse_host_line(c.line);
        EXPECT_FALSE(r.message.has_value()) << c.line;
        EXPECT_EQ(r.error, c.error) << c.line;
    }
}

// #18: the host's hello names the chords to watch; the helper answers a chord with `hotkey`.
TEST(GuestProtocolV2, HotkeysRoundTrip) {
    HostHello hello{2, "0.1.0", {{"KEY_LEFTMETA", "KEY_F12"}, {"KEY_LEFTCTRL", "KEY_LEFTALT", "KEY_W"}}};
    EXPECT_EQ(encode_host(hello),
              "{\"host\":\"0.1.0\",\"hotkeys\":[[\"KEY_LEFTMETA\",\"KEY_F12\"],[\"KEY_LEFTCTRL\",\"KEY_LEFTALT\","
              "\"KEY_W\"]],\"protocol\":2,\"type\":\"hello\"}\n");
    EXPECT_EQ(host_message<HostHello>(without_newline(encode_host(hello))).hotkeys, hello.hotkeys);
    // No chords: no field, as an older host sends it.
    EXPECT_EQ(encode_host(HostHello{2, "0.1.0", {}}), "{\"host\":\"0.1.0\",\"protocol\":2,\"type\":\"hello\"}\n");
    EXPECT_TRUE(host_message<HostHello>(R"({"type":"hello","protocol":2,"host":"0.1.0"})").hotkeys.empty());

    Hotkey pressed{{"KEY_LEFTMETA", "KEY_F12"}};
    EXPECT_EQ(encode(pressed), "{\"keys\":[\"KEY_LEFTMETA\",\"KEY_F12\"],\"type\":\"hotkey\"}\n");
    EXPECT_EQ(guest_message<Hotkey>(without_newline(encode(pressed))).keys, pressed.keys);
    EXPECT_EQ(host_message<StopPending>(
                  R"({"type":"stop-pending","deadline_us":1,"in_ms":1,"action":"hibernate","reason":"idle"})")
                  .action,
              "hibernate");
}

// A guest's hotkey line is bounded like every other: a chord of 1 to 8 evdev names, nothing else.
TEST(GuestProtocolV2, MalformedHotkeysSayWhy) {
    const std::string why = "hotkey: \"keys\" must be an array of 1 to 8 key names like KEY_LEFTMETA";
    for (const char* line :
         {R"({"type":"hotkey"})", R"({"type":"hotkey","keys":"KEY_A"})", R"({"type":"hotkey","keys":[]})",
          R"({"type":"hotkey","keys":[1]})", R"({"type":"hotkey","keys":["KEY_A; rm -rf"]})",
          R"({"type":"hotkey","keys":["A","B","C","D","E","F","G","H","I"]})"}) {
        auto r = parse_line(line);
        EXPECT_FALSE(r.message.has_value()) << line;
        EXPECT_EQ(r.error, why) << line;
    }
}

}  // namespace
}  // namespace hotseat::guest
