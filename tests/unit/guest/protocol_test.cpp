// parse_line: every byte sequence gives a message or an error, never an exception or a crash.
#include <gtest/gtest.h>

#include <random>

#include "guest/protocol.h"

namespace hotseat::guest {
namespace {

template <typename T>
const T& as(const ParseResult& r) {
    EXPECT_TRUE(r.message.has_value()) << r.error;
    return std::get<T>(*r.message);
}

TEST(GuestProtocol, Hello) {
    auto r = parse_line(R"({"type":"hello","protocol":1,"helper":"0.1.0"})");
    EXPECT_EQ(as<Hello>(r).protocol, 1);
    EXPECT_EQ(as<Hello>(r).helper_version, "0.1.0");
}

TEST(GuestProtocol, ConnectorWithAndWithoutInitial) {
    auto r = parse_line(R"({"type":"connector","card":"card0","connector":"HDMI-A-1","status":"disconnected"})");
    EXPECT_EQ(as<Connector>(r).card, "card0");
    EXPECT_EQ(as<Connector>(r).connector, "HDMI-A-1");
    EXPECT_FALSE(as<Connector>(r).connected);
    EXPECT_FALSE(as<Connector>(r).initial);
    auto i = parse_line(
        R"({"type":"connector","card":"card1","connector":"DP-2","status":"connected","initial":true})");
    EXPECT_TRUE(as<Connector>(i).connected);
    EXPECT_TRUE(as<Connector>(i).initial);
}

TEST(GuestProtocol, InputIdleIsCappedAtAWeek) {
    EXPECT_EQ(as<Input>(parse_line(R"({"type":"input","idle_ms":1500})")).idle_ms, 1500u);
    EXPECT_EQ(as<Input>(parse_line(R"({"type":"input","idle_ms":99999999999999})")).idle_ms, 604800000u);
}

TEST(GuestProtocol, UnknownTypeIsAMessageNotAnError) {
    EXPECT_EQ(as<Unknown>(parse_line(R"({"type":"battery","level":3})")).type, "battery");
}

TEST(GuestProtocol, ExtraFieldsAndCarriageReturnAreTolerated) {
    EXPECT_EQ(as<Input>(parse_line("{\"type\":\"input\",\"idle_ms\":0,\"new\":[1,2]}\r")).idle_ms, 0u);
}

TEST(GuestProtocol, InvalidLinesSayWhy) {
    struct Case {
        const char* line;
        const char* error;
    } cases[] = {
        {"", "not JSON"},
        {"garbage", "not JSON"},
        {"[1,2]", "not a JSON object"},
        {R"({"kind":"hello"})", "no \"type\" string"},
        {R"({"type":7})", "no \"type\" string"},
        {R"({"type":"hello","protocol":"1","helper":"x"})", "hello: \"protocol\" must be an integer"},
        {R"({"type":"hello","protocol":0,"helper":"x"})", "hello: protocol 0 out of range"},
        {R"({"type":"hello","protocol":1,"helper":"a\u0001b"})",
         "hello: \"helper\" must be a printable string of at most 64 bytes"},
        {R"({"type":"connector","card":"../x","connector":"HDMI-A-1","status":"connected"})",
         "connector: \"card\" must be a name like card0"},
        {R"({"type":"connector","card":"card0","connector":"","status":"connected"})",
         "connector: \"connector\" must be a name like HDMI-A-1"},
        {R"({"type":"connector","card":"card0","connector":"DP-1","status":"unknown"})",
         "connector: \"status\" must be connected or disconnected"},
        {R"({"type":"connector","card":"card0","connector":"DP-1","status":"connected","initial":1})",
         "connector: \"initial\" must be a boolean"},
        {R"({"type":"input","idle_ms":-1})", "input: \"idle_ms\" must be a non-negative integer"},
        {R"({"type":"input","idle_ms":1.5})", "input: \"idle_ms\" must be a non-negative integer"},
    };
    for (const auto& c : cases) {
        auto r = parse_line(c.line);
        EXPECT_FALSE(r.message.has_value()) << c.line;
        EXPECT_EQ(r.error, c.error) << c.line;
    }
}

TEST(GuestProtocol, OversizedLineIsRefusedUnparsed) {
    std::string line = R"({"type":"input","idle_ms":1,"pad":")" + std::string(kMaxLineBytes, 'x') + "\"}";
    EXPECT_EQ(parse_line(line).error, "line longer than 4096 bytes");
}

TEST(GuestProtocol, DeepNestingIsJustInvalid) {
    std::string deep(2000, '[');
    EXPECT_FALSE(parse_line(deep).message.has_value());
}

TEST(GuestProtocol, EncodeReadsBack) {
    for (const Message& m :
         {Message{Hello{1, "0.1.0"}}, Message{Connector{"card0", "HDMI-A-1", true, true}}, Message{Input{42}}}) {
        std::string line = encode(m);
        ASSERT_EQ(line.back(), '\n');
        auto r = parse_line(std::string_view(line).substr(0, line.size() - 1));
        ASSERT_TRUE(r.message) << r.error;
        EXPECT_EQ(r.message->index(), m.index());
    }
}

// A poor man's fuzz run: random bytes and mutations of valid lines never throw or crash.
TEST(GuestProtocol, RandomBytesNeverThrow) {
    std::mt19937 rng(7);
    std::string valid = R"({"type":"connector","card":"card0","connector":"HDMI-A-1","status":"connected"})";
    for (int i = 0; i < 20000; ++i) {
        std::string line = valid;
        for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k)
            line[rng() % line.size()] = static_cast<char>(rng() % 256);
        if (i % 2) line = line.substr(0, rng() % line.size());
        EXPECT_NO_THROW(parse_line(line));
    }
}

}  // namespace
}  // namespace hotseat::guest
