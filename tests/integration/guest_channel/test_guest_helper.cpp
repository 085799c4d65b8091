// hotseat-guest (the guest helper) as a process under umockdev: the testbed plays the guest's
// kernel (a DRM card with HDMI-A-1, an evdev keyboard) and a unix socket the test listens on
// stands in for /dev/virtio-ports/org.hotseat.guest.0. What the helper writes is parsed with the
// same parse_line hotseatd uses.
#include <linux/input.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "guest/protocol.h"
#include "process.h"
#include "helper_lines.h"
#include "socket_server.h"
#include "testbed.h"

namespace hotseat::guest {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using hotseat::test::Process;
using hotseat::test::SocketServer;
using hotseat::test::TempDir;
using hotseat::test::Testbed;
using hotseat::test::wait_until;

class GuestHelperTest : public ::testing::Test, public hotseat::test::HelperLines {
protected:
    GuestHelperTest() : HelperLines(server) {}
    void SetUp() override { bed.add_intel_igpu(); }

    void start(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv{HOTSEAT_GUEST_BIN, "--port", path, "--input-interval", "1"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        helper = std::make_unique<Process>(Process::Options{argv, {}, dir.file("helper.log")});
        ASSERT_TRUE(wait_until([&] { return server.accept(); })) << helper->output();
        ASSERT_TRUE(wait_until([&] { return count<Hello>() >= 1; })) << helper->output();
    }

    Testbed bed;
    TempDir dir;
    std::string path = dir.file("port.sock");
    SocketServer server{path};
    std::unique_ptr<Process> helper;
};

TEST_F(GuestHelperTest, SaysHelloAndReportsConnectorsAsInitial) {
    start();
    ASSERT_TRUE(wait_until([&] { return count<Connector>() >= 1; })) << helper->output();
    auto hello = all<Hello>()[0];
    EXPECT_EQ(hello.protocol, kProtocolVersion);
    EXPECT_EQ(hello.helper_version, HOTSEAT_VERSION);
    auto c = all<Connector>()[0];
    EXPECT_EQ(c.card, "card0");
    EXPECT_EQ(c.connector, "HDMI-A-1");
    EXPECT_FALSE(c.connected);
    EXPECT_TRUE(c.initial);
}

TEST_F(GuestHelperTest, PlugAndUnplugAreReportedAsChanges) {
    start();
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 1; })) << helper->output();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 2; })) << helper->output();
    EXPECT_TRUE(all<Connector>()[1].connected);
    EXPECT_FALSE(all<Connector>()[1].initial);
    bed.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 3; })) << helper->output();
    EXPECT_FALSE(all<Connector>()[2].connected);
    EXPECT_FALSE(all<Connector>()[2].initial);
}

TEST_F(GuestHelperTest, AHotplugWithoutAChangeSaysNothing) {
    start();
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 1; }));
    bed.send_hotplug();            // status unchanged
    bed.plug_monitor("HDMI-A-1");  // the marker: once it is seen, the first uevent was handled
    ASSERT_TRUE(wait_until([&] { return count<Connector>() >= 2; }));
    EXPECT_EQ(count<Connector>(), 2u);
}

// `unknown` is "not known yet" (docs/guest-channel.md): a guest connector re-registered by its driver is
// not reported as an unplug, and a connector still unknown at start is not reported at all.
TEST_F(GuestHelperTest, AnUnknownStatusIsNeverReportedAsADisconnect) {
    bed.add_connector("DP-2", "unknown");
    start();
    ASSERT_TRUE(wait_until([&] { return count<Connector>() >= 1; })) << helper->output();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return count<Connector>() >= 2; })) << helper->output();
    bed.set_connector_status("HDMI-A-1", "unknown");
    bed.send_hotplug();
    // The marker: a new connector's report comes after everything the hotplug above caused.
    bed.add_connector("DP-1");
    ASSERT_TRUE(wait_until([&] {
        auto all_connectors = all<Connector>();
        return std::any_of(all_connectors.begin(), all_connectors.end(),
                           [](const Connector& c) { return c.connector == "DP-1"; });
    })) << helper->output();
    for (const auto& c : all<Connector>()) {
        EXPECT_NE(c.connector, "DP-2") << "a connector still unknown was reported";
        if (c.connector == "HDMI-A-1" && !c.initial) {
            EXPECT_TRUE(c.connected) << "unknown reported as an unplug";
        }
    }
    // A definite status later is a change measured from the last definite one: the unplug.
    bed.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] {
        auto c = all<Connector>();
        return !c.empty() && c.back().connector == "HDMI-A-1" && !c.back().connected;
    })) << helper->output();
    EXPECT_FALSE(all<Connector>().back().initial);
}

TEST_F(GuestHelperTest, InputIsReportedCoalesced) {
    bed.add_keyboard(7, "guest keyboard");
    start();
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 1; })) << helper->output();
    Clock::time_point before_last_key;
    for (int i = 0; i < 20; ++i) {
        bed.press_key(7, KEY_A, 1);
        if (i == 19) before_last_key = Clock::now();
        bed.press_key(7, KEY_A, 0);
    }
    // The first key is reported at once, the rest together once the 1 s interval has passed.
    ASSERT_TRUE(wait_until([&] { return count<Input>() >= 2; })) << helper->output();
    const auto second_seen = Clock::now();
    // The barrier for "nothing more about these keys": a monitor plug, which the helper handles
    // and reports after everything it read before.
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 2; })) << helper->output();
    EXPECT_EQ(count<Input>(), 2u) << "input not coalesced";
    // The second report counts from the last key, which the helper read after the test began to
    // write it, and it was sent before the test saw it (the helper's clock is CLOCK_MONOTONIC
    // too, in whole milliseconds).
    auto bound_ms = std::chrono::duration_cast<std::chrono::milliseconds>(second_seen - before_last_key).count() + 1;
    EXPECT_LE(all<Input>()[1].idle_ms, static_cast<std::uint32_t>(bound_ms));
}

TEST_F(GuestHelperTest, AKeyboardPluggedLaterIsWatched) {
    start();
    bed.add_keyboard(8, "late keyboard");
    // The helper opens it on its add uevent; keys before that are not seen, so keep pressing.
    ASSERT_TRUE(wait_until([&] {
        bed.press_key(8, KEY_B, 1);
        return count<Input>() >= 1;
    })) << helper->output();
}

// #18: the chords the host names in its hello are watched on the guest's keyboards; a chord
// that goes down is sent as `hotkey`, with the keys as the host named them. Nothing is sent for
// keys before the host named any, for a chord not named, for autorepeat, or for a chord whose keys
// are on two keyboards.
TEST_F(GuestHelperTest, ChordsTheHostNamesAreSentAsHotkeys) {
    bed.add_keyboard(7, "guest keyboard");
    bed.add_keyboard(8, "second keyboard");
    start();
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 1; })) << helper->output();
    auto chord = [&](int node, std::initializer_list<std::uint16_t> keys) {
        for (auto k : keys) bed.press_key(node, k, 1);
        for (auto k : keys) bed.press_key(node, k, 0);
    };
    chord(7, {KEY_LEFTMETA, KEY_F12});  // the host has named nothing yet
    // The barrier for "those keys were read": a monitor plug, whose uevent comes after them.
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 2; })) << helper->output();
    server.send(
        encode_host(HostHello{2, "test", {{"KEY_LEFTMETA", "KEY_F12"}, {"KEY_LEFTCTRL", "KEY_LEFTALT", "KEY_W"}}}));
    // The helper answers a protocol 2 hello with its inhibit state: the hello has been read.
    ASSERT_TRUE(wait_until([&] { return count<Inhibit>() >= 1; })) << helper->output();
    chord(7, {KEY_LEFTCTRL, KEY_F12});  // not a chord the host named
    bed.press_key(7, KEY_LEFTMETA, 1);
    bed.press_key(8, KEY_F12, 1);  // the other keyboard
    bed.press_key(8, KEY_F12, 0);
    bed.unplug_monitor("HDMI-A-1");  // the barrier: the keys so far were read
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 3; })) << helper->output();
    EXPECT_EQ(count<Hotkey>(), 0u) << helper->output();
    bed.press_key(7, KEY_F12, 1);  // now it is a chord: sent once
    bed.press_key(7, KEY_F12, 2);  // autorepeat
    bed.press_key(7, KEY_F12, 0);
    bed.press_key(7, KEY_LEFTMETA, 0);
    chord(7, {KEY_LEFTCTRL, KEY_LEFTALT, KEY_W});
    ASSERT_TRUE(wait_until([&] { return count<Hotkey>() >= 2; })) << helper->output();
    // The barrier for "nothing more": a plug, handled after the keys written before it.
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return count<Connector>() == 4; })) << helper->output();
    auto sent = all<Hotkey>();
    ASSERT_EQ(sent.size(), 2u) << helper->output();
    EXPECT_EQ(sent[0].keys, (std::vector<std::string>{"KEY_LEFTMETA", "KEY_F12"}));
    EXPECT_EQ(sent[1].keys, (std::vector<std::string>{"KEY_LEFTCTRL", "KEY_LEFTALT", "KEY_W"}));
}

TEST_F(GuestHelperTest, ExitsWhenTheHostClosesTheSocket) {
    start();
    server.drop_client();
    EXPECT_EQ(helper->wait(30s), 0) << helper->output();
}

TEST_F(GuestHelperTest, AMissingPortFailsClearly) {
    auto lone = std::make_unique<Process>(
        Process::Options{{HOTSEAT_GUEST_BIN, "--port", dir.file("nothing")}, {}, dir.file("lone.log")});
    EXPECT_EQ(lone->wait(30s), 1);
    EXPECT_NE(lone->output().find("nothing: No such file or directory"), std::string::npos) << lone->output();
}

}  // namespace
}  // namespace hotseat::guest
