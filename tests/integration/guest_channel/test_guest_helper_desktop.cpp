// hotseat-guest on a desktop (docs/guest-channel.md), as a process under umockdev:
// gamepads count as input; audio playing (ALSA status files, in the testbed's /proc/asound) and a
// logind idle inhibitor (a logind stand-in on a private system bus) are reported as inhibit; the
// host's stop-pending becomes a notification on the user's session bus (a notification daemon
// stand-in) whose "Keep my desk" sends postpone. The test plays hotseatd on the channel's socket.
#include <linux/input.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "desktop_standins.h"
#include "guest/protocol.h"
#include "plain_bus.h"
#include "process.h"
#include "helper_lines.h"
#include "socket_server.h"
#include "testbed.h"

namespace hotseat::guest {
namespace {

using namespace std::chrono_literals;
using hotseat::test::LogindInhibitor;
using hotseat::test::LogindSession;
using hotseat::test::LogindStandIn;
using hotseat::test::NotificationsStandIn;
using hotseat::test::PlainBus;
using hotseat::test::Process;
using hotseat::test::SocketServer;
using hotseat::test::TempDir;
using hotseat::test::Testbed;
using hotseat::test::wait_until;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class GuestHelperDesktopTest : public ::testing::Test, public hotseat::test::HelperLines {
protected:
    GuestHelperDesktopTest() : HelperLines(server) {}
    void SetUp() override { bed.add_intel_igpu(); }

    void start(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv{
            HOTSEAT_GUEST_BIN,   "--port", path, "--input-interval", "1", "--inhibit-interval", "1", "--user-bus-dir",
            dir.file("run-user")};
        argv.insert(argv.end(), extra.begin(), extra.end());
        helper = std::make_unique<Process>(
            Process::Options{argv, {{"DBUS_SYSTEM_BUS_ADDRESS", system_bus.address()}}, dir.file("helper.log")});
        ASSERT_TRUE(wait_until([&] { return server.accept(); }, 5s)) << helper->output();
        ASSERT_TRUE(wait_until([&] { return count<Hello>() >= 1; }, 5s)) << helper->output();
    }
    // What hotseatd answers a protocol 2 hello.
    void host_says_hello() { server.send(encode_host(HostHello{2, "0.1.0-test"})); }

    void add_audio_substream(const std::string& state) {
        std::string dir_path = bed.root() + "/proc/asound/card0/pcm0p/sub0";
        std::filesystem::create_directories(dir_path);
        hotseat::test::write_file(dir_path + "/status", "state: " + state + "\nowner_pid   : 4242\n");
    }

    std::string log() const { return helper ? helper->output() : ""; }

    void TearDown() override {
        if (HasFailure()) std::cerr << "---- hotseat-guest ----\n" << log() << "----\n";
    }

    Testbed bed;
    TempDir dir;
    std::string path = dir.file("port.sock");
    SocketServer server{path};
    PlainBus system_bus{dir.file("system_bus_socket")};
    std::unique_ptr<Process> helper;
};

TEST_F(GuestHelperDesktopTest, AGamepadCountsAsInput) {
    // A gamepad is not a keyboard, mouse, touchpad or tablet: only ID_INPUT_JOYSTICK says it.
    bed.add_keyboard(9, "Wireless Controller",
                     {{"ID_INPUT_KEYBOARD", "0"}, {"ID_INPUT_KEY", "0"}, {"ID_INPUT_JOYSTICK", "1"}});
    start();
    // Pressed until the helper reports it (it opens the node on the add uevent), but a bounded
    // number of times: a node nobody reads fills its pty and a write would block.
    int presses = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            if (presses++ < 40) {
                bed.press_key(9, BTN_SOUTH, 1);
                bed.press_key(9, BTN_SOUTH, 0);
            }
            return count<Input>() >= 1;
        },
        5s))
        << log();
}

TEST_F(GuestHelperDesktopTest, AudioPlayingHoldsIdleOnceTheHostSpeaksProtocol2) {
    add_audio_substream("RUNNING");
    start();
    // Read (the journal says so), but not told to a host that has not answered with protocol 2.
    ASSERT_TRUE(wait_until([&] { return contains(log(), "idle is held: audio playing (card0 pcm0p)"); }, 5s));
    EXPECT_EQ(count<Inhibit>(), 0u);
    host_says_hello();
    ASSERT_TRUE(wait_until([&] { return count<Inhibit>() >= 1; }, 5s));
    auto held = all<Inhibit>()[0];
    EXPECT_TRUE(held.active);
    EXPECT_EQ(held.reason, "audio playing (card0 pcm0p)");
    add_audio_substream("SETUP");
    ASSERT_TRUE(wait_until([&] { return !all<Inhibit>().back().active; }, 5s));
    EXPECT_EQ(all<Inhibit>().size(), 2u);
}

TEST_F(GuestHelperDesktopTest, ALogindIdleInhibitorHoldsIdle) {
    LogindStandIn logind(system_bus.address());
    start();
    host_says_hello();
    ASSERT_TRUE(wait_until([&] { return count<Inhibit>() >= 1; }, 5s));
    EXPECT_FALSE(all<Inhibit>()[0].active);  // the state, told at once to a protocol 2 host
    logind.set_inhibitors({{"sleep", "updater", "installing", "delay"}, {"idle", "mpv", "Playing video", "block"}});
    logind.set_block_inhibited("handle-power-key:idle");
    ASSERT_TRUE(wait_until([&] { return all<Inhibit>().back().active; }, 5s)) << log();
    EXPECT_EQ(all<Inhibit>().back().reason, "idle inhibitor: mpv (Playing video)");
    // With audio too: both reasons.
    add_audio_substream("RUNNING");
    ASSERT_TRUE(wait_until(
        [&] {
            return all<Inhibit>().back().reason == "audio playing (card0 pcm0p); idle inhibitor: mpv (Playing video)";
        },
        5s))
        << all<Inhibit>().back().reason;
    add_audio_substream("SETUP");
    logind.set_block_inhibited("handle-power-key");
    ASSERT_TRUE(wait_until([&] { return !all<Inhibit>().back().active; }, 5s));
}

TEST_F(GuestHelperDesktopTest, WithoutLogindOnlyAudioIsWatched) {
    start();  // nobody owns org.freedesktop.login1 on this system bus
    host_says_hello();
    ASSERT_TRUE(wait_until([&] { return contains(log(), "cannot read logind's inhibitors"); }, 5s)) << log();
    add_audio_substream("RUNNING");
    ASSERT_TRUE(wait_until([&] { return count<Inhibit>() >= 1 && all<Inhibit>().back().active; }, 5s));
    EXPECT_EQ(helper->wait(0ms), -1) << "the helper died";
}

class GuestHelperNotificationTest : public GuestHelperDesktopTest {
protected:
    void start_desktop(uid_t uid) {
        logind = std::make_unique<LogindStandIn>(system_bus.address());
        logind->add_session(LogindSession{"3", 1000, "tty", "user", true});  // a console login: not first
        logind->add_session(LogindSession{"2", static_cast<std::uint32_t>(uid), "wayland", "user", true});
        // As /run/user: everyone may pass, each user's own directory is theirs alone.
        std::filesystem::create_directories(dir.file("run-user"));
        std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
        std::filesystem::permissions(dir.file("run-user"), std::filesystem::perms(0755));
        user_bus = std::make_unique<PlainBus>(dir.file("run-user/" + std::to_string(uid) + "/bus"), uid);
    }
    void send_stop_pending(std::uint64_t in_ms, const std::string& reason) {
        server.send(encode_host(StopPending{4'000'000'000'000'000, in_ms, "stop", reason}));
    }

    std::unique_ptr<LogindStandIn> logind;
    std::unique_ptr<PlainBus> user_bus;
};

TEST_F(GuestHelperNotificationTest, StopPendingIsShownAndKeepMyDeskPostpones) {
    start_desktop(::getuid());
    NotificationsStandIn notifications(user_bus->address());
    start({"--postpone", "600"});
    host_says_hello();
    send_stop_pending(60'000, "idle (rule walked-away)");
    ASSERT_TRUE(wait_until([&] { return notifications.shown().size() == 1; }, 5s)) << log();
    auto n = notifications.shown()[0];
    EXPECT_EQ(n.app, "hotseat");
    EXPECT_EQ(n.summary, "This desk will shut down in 1 min");
    EXPECT_TRUE(contains(n.body, "Why: idle (rule walked-away).")) << n.body;
    EXPECT_TRUE(contains(n.body, "Moving the mouse or pressing a key keeps it too.")) << n.body;
    EXPECT_EQ(n.actions, (std::vector<std::string>{"keep", "Keep my desk"}));
    EXPECT_EQ(n.urgency, 2);  // a minute away: critical
    EXPECT_GT(n.expire_ms, 0);
    EXPECT_LE(n.expire_ms, 60'000);

    notifications.invoke(n.id, "keep");
    ASSERT_TRUE(wait_until([&] { return count<Postpone>() == 1; }, 5s)) << log();
    EXPECT_EQ(all<Postpone>()[0].seconds, 600u);
    // Another notification's action, or another action, asks for nothing.
    notifications.invoke(n.id + 100, "keep");
    notifications.invoke(n.id, "default");

    // The host moved it: the same notification says so.
    send_stop_pending(660'000, "idle (rule walked-away)");
    ASSERT_TRUE(wait_until([&] { return notifications.shown().size() == 2; }, 5s)) << log();
    EXPECT_EQ(notifications.shown()[1].replaces, n.id);
    EXPECT_EQ(notifications.shown()[1].summary, "This desk will shut down in 11 min");
    EXPECT_EQ(notifications.shown()[1].urgency, 1);

    server.send(encode_host(StopCancelled{}));
    ASSERT_TRUE(wait_until([&] { return notifications.closed().size() == 1; }, 5s)) << log();
    EXPECT_EQ(notifications.closed()[0], n.id);
    EXPECT_EQ(count<Postpone>(), 1u);
}

TEST_F(GuestHelperNotificationTest, TheNotificationIsShownAsTheSessionsUser) {
    start_desktop(65534);
    NotificationsStandIn notifications(user_bus->address());
    start();
    host_says_hello();
    send_stop_pending(30'000, "governor: host under memory pressure");
    ASSERT_TRUE(wait_until([&] { return notifications.shown().size() == 1; }, 5s)) << log();
    EXPECT_EQ(notifications.shown()[0].caller_euid, 65534u) << "the helper spoke on the user's bus as root";
    EXPECT_EQ(notifications.shown()[0].summary, "This desk will shut down in 30 s");
    EXPECT_FALSE(contains(notifications.shown()[0].body, "Moving the mouse")) << "input does not stop a governor stop";
    // And the helper is root again afterwards: it still reads the channel and the inputs.
    bed.add_keyboard(8, "late keyboard");
    int presses = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            if (presses++ < 40) bed.press_key(8, KEY_B, 1);
            return count<Input>() >= 1;
        },
        5s))
        << log();
}

TEST_F(GuestHelperNotificationTest, WithoutANotificationDaemonTheJournalSaysSo) {
    start_desktop(::getuid());  // the user's bus, but nobody owns org.freedesktop.Notifications
    start();
    host_says_hello();
    send_stop_pending(60'000, "idle (rule walked-away)");
    ASSERT_TRUE(wait_until([&] { return contains(log(), "is a notification daemon running there?"); }, 5s)) << log();
    EXPECT_TRUE(contains(log(), "the host will shut this desk down in 1 min (idle (rule walked-away))")) << log();
    EXPECT_EQ(helper->wait(0ms), -1) << "the helper died";
}

TEST_F(GuestHelperNotificationTest, WithoutASessionTheJournalSaysSo) {
    logind = std::make_unique<LogindStandIn>(system_bus.address());  // no sessions
    start();
    host_says_hello();
    send_stop_pending(60'000, "idle (rule walked-away)");
    ASSERT_TRUE(wait_until([&] { return contains(log(), "nobody to warn on the screen (no active user session)"); }, 5s))
        << log();
}

}  // namespace
}  // namespace hotseat::guest
