// Protocol 2 on the guest channel's host end (docs/guest-channel.md): postpone and inhibit become
// events, malformed lines are dropped and counted, and lines for the guest are written without
// ever blocking the loop, also to a guest that never reads.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "guest/protocol.h"
#include "guest_channel/channel.h"
#include "guest_channel/channels.h"
#include "input_test_util.h"
#include "process.h"
#include "socket_server.h"

namespace hotseat::guest_channel {
namespace {

using namespace std::chrono_literals;
using hotseat::test::SocketServer;
using hotseat::test::TempDir;
using input::test::EventLoop;
using input::test::Recorder;
using input::test::StderrCapture;

const std::string kHello2 = R"j({"type":"hello","protocol":2,"helper":"0.2.0"})j"
                            "\n";

class ChannelV2Test : public ::testing::Test {
protected:
    void SetUp() override {
        ChannelLimits limits;
        limits.retry_min_us = 20'000;
        limits.retry_max_us = 100'000;
        channel = std::make_unique<Channel>(loop.get(), "arch-desktop", path, seen.sink(), limits);
        ASSERT_TRUE(loop.run_until([&] { return server.accept(); }, 5s));
        ASSERT_TRUE(loop.run_until([&] { return channel->connected(); }, 5s));
    }
    // Every line the guest side has received so far.
    std::vector<std::string> received_lines() {
        std::vector<std::string> out;
        std::istringstream in(server.received());
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }

    StderrCapture log;
    TempDir dir;
    std::string path = dir.file("guest.sock");
    SocketServer server{path};
    EventLoop loop;
    Recorder seen;
    std::unique_ptr<Channel> channel;
};

TEST_F(ChannelV2Test, PostponeAndInhibitBecomeEventsOfThisVm) {
    server.send(kHello2 +
                R"j({"type":"postpone","seconds":600})j"
                "\n" +
                R"j({"type":"inhibit","active":true,"reason":"audio playing (card0 pcm0p)"})j"
                "\n" +
                R"j({"type":"inhibit","active":false})j"
                "\n");
    ASSERT_TRUE(loop.run_until([&] { return seen.events.size() == 4; }, 5s));
    EXPECT_EQ(std::get<GuestHello>(seen.events[0]).protocol, 2);
    auto postpone = std::get<GuestPostpone>(seen.events[1]);
    EXPECT_EQ(postpone.vm, "arch-desktop");
    EXPECT_EQ(postpone.seconds, 600u);
    auto held = std::get<GuestInhibit>(seen.events[2]);
    EXPECT_EQ(held.vm, "arch-desktop");
    EXPECT_TRUE(held.active);
    EXPECT_EQ(held.reason, "audio playing (card0 pcm0p)");
    EXPECT_FALSE(std::get<GuestInhibit>(seen.events[3]).active);
}

// #18: a chord the guest reports becomes an event of this VM; the engine decides what it may do.
TEST_F(ChannelV2Test, AHotkeyBecomesAnEventOfThisVm) {
    server.send(kHello2 + R"j({"type":"hotkey","keys":["KEY_LEFTMETA","KEY_F12"]})j"
                          "\n");
    ASSERT_TRUE(loop.run_until([&] { return seen.events.size() == 2; }, 5s));
    auto hotkey = std::get<GuestHotkey>(seen.events[1]);
    EXPECT_EQ(hotkey.vm, "arch-desktop");
    EXPECT_EQ(hotkey.keys, (std::vector<std::string>{"KEY_LEFTMETA", "KEY_F12"}));
}

TEST_F(ChannelV2Test, MalformedLinesAreDroppedAndCounted) {
    server.send(std::string(R"j({"type":"postpone","seconds":0})j"
                            "\n") +
                R"j({"type":"postpone","seconds":"9"})j"
                "\n" +
                R"j({"type":"inhibit","active":true})j"
                "\n" +
                R"j({"type":"inhibit","active":true,"reason":"a\u0007b"})j"
                "\n" +
                R"j({"type":"postpone","seconds":90000})j"
                "\n" +
                R"j({"type":"postpone","seconds":60})j"
                "\n");
    ASSERT_TRUE(loop.run_until([&] { return seen.events.size() == 1; }, 5s));
    EXPECT_EQ(std::get<GuestPostpone>(seen.events[0]).seconds, 60u);
    EXPECT_EQ(channel->invalid_lines(), 5u);
    EXPECT_TRUE(channel->connected());
    EXPECT_EQ(
        log.count("invalid line ignored: postpone: \"seconds\" must be an integer from 1 to 86400 (1 invalid so far)"),
        1u)
        << log.text();
}

TEST_F(ChannelV2Test, LinesForTheGuestAreWritten) {
    channel->send(encode_notice(GuestWelcome{2}));
    channel->send(encode_notice(GuestStopPending{4'000'000'000'000'000, "stop", "idle (rule walked-away)"}));
    channel->send(encode_notice(GuestStopCancelled{}));
    std::vector<std::string> lines;
    ASSERT_TRUE(loop.run_until(
        [&] {
            for (auto& l : received_lines()) lines.push_back(l);
            return lines.size() >= 3;
        },
        5s));
    auto hello = guest::parse_host_line(lines[0]);
    ASSERT_TRUE(hello.message) << lines[0] << ": " << hello.error;
    EXPECT_EQ(std::get<guest::HostHello>(*hello.message).protocol, 2);
    EXPECT_EQ(std::get<guest::HostHello>(*hello.message).host_version, HOTSEAT_VERSION);
    auto pending = guest::parse_host_line(lines[1]);
    ASSERT_TRUE(pending.message) << lines[1] << ": " << pending.error;
    const auto& p = std::get<guest::StopPending>(*pending.message);
    EXPECT_EQ(p.deadline_us, 4'000'000'000'000'000u);
    EXPECT_EQ(p.action, "stop");
    EXPECT_EQ(p.reason, "idle (rule walked-away)");
    EXPECT_GT(p.in_ms, 0u);  // by the host's clock, how long from now: a deadline far ahead
    auto cancelled = guest::parse_host_line(lines[2]);
    ASSERT_TRUE(cancelled.message) << lines[2];
    EXPECT_TRUE(std::holds_alternative<guest::StopCancelled>(*cancelled.message));
}

TEST_F(ChannelV2Test, AGuestThatNeverReadsCannotStallTheLoop) {
    // The socket's buffer fills, then the channel's own small one; the rest is dropped, told once.
    const std::string line = encode_notice(GuestStopPending{4'000'000'000'000'000, "stop", std::string(200, 'x')});
    auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 20000; ++i) channel->send(line);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(log.count("the guest does not read its channel"), 1u) << log.text();
    // Still reading what the guest says.
    server.send(R"j({"type":"postpone","seconds":5})j"
                "\n");
    ASSERT_TRUE(loop.run_until([&] { return seen.events.size() == 1; }, 5s)) << "the channel stopped reading";
    EXPECT_TRUE(channel->connected());
    std::cout << "20000 sends to a guest that does not read: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
    // Once the guest reads again, what was kept arrives whole: every line parses.
    std::string all;
    ASSERT_TRUE(loop.run_until(
        [&] {
            all += server.received();
            return !all.empty() && all.back() == '\n' && all.size() > 100'000;
        },
        10s));
    std::istringstream in(all);
    for (std::string l; std::getline(in, l);) ASSERT_TRUE(guest::parse_host_line(l).message) << l.substr(0, 80);
}

TEST_F(ChannelV2Test, NothingIsSentWhileNotConnected) {
    server.drop_client();
    ASSERT_TRUE(loop.run_until([&] { return !channel->connected(); }, 5s));
    channel->send(encode_notice(GuestStopCancelled{}));                // dropped, no crash
    ASSERT_TRUE(loop.run_until([&] { return server.accept(); }, 5s));  // it reconnects
    ASSERT_TRUE(loop.run_until([&] { return channel->connected(); }, 5s));
    loop.run_for(50ms);
    EXPECT_EQ(server.received(), "");
}

TEST(ChannelsV2, SendGoesToTheVmsOwnChannelOnly) {
    TempDir dir;
    std::string path = dir.file("guest.sock");
    SocketServer server{path};
    EventLoop loop;
    Recorder seen;
    Channels channels(loop.get(), seen.sink());
    channels.execute(SendGuest{"nowhere", GuestStopCancelled{}});  // no channel: dropped
    channels.execute(OpenGuestChannel{"arch-desktop", path});
    ASSERT_TRUE(loop.run_until([&] { return server.accept(); }, 5s));
    loop.run_for(100ms);
    channels.execute(SendGuest{"arch-desktop", GuestStopCancelled{}});
    std::string got;
    ASSERT_TRUE(loop.run_until(
        [&] {
            got += server.received();
            return !got.empty();
        },
        5s));
    EXPECT_EQ(got, "{\"type\":\"stop-cancelled\"}\n");
}

}  // namespace
}  // namespace hotseat::guest_channel
