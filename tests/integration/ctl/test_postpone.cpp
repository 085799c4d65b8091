// hotseatctl postpone and the pending stop in status, against hotseatd with a real pending stop:
// libvirt's test driver reports a domain's cpuTime as the wall clock, so arch-desktop (2 vCPUs)
// uses 50 % of its CPUs; with idle_cpu_percent = 60 it goes idle 10 s after it started, and its
// vm.idle rule's stop is then pending for warn_s.
#include <gtest/gtest.h>

#include <cstdlib>

#include "ctl_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// PendingStop's deadline (µs since the epoch); 0 when none.
std::uint64_t pending_deadline(const std::string& bus) {
    return std::strtoull(vm_property(bus, kArch, "PendingStop").c_str(), nullptr, 10);
}

std::uint64_t wall_us() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

class CtlPostponeTest : public CtlTest {
protected:
    void SetUp() override {
        CtlTest::SetUp();
        ConfigOptions options;
        options.arch_keys = "idle_timeout_s = 10\nidle_cpu_percent = 60\nwarn_s = 600\n";
        options
            .rules = "\n[[rule]]\nname = \"walked-away\"\non = \"vm.idle\"\naction = \"stop\"\nvm = \"arch-desktop\"\n";
        write_config(options);
        start_daemon();
        ASSERT_EQ(ctl({"start", "--wait", "arch-desktop"}).status, 0);
        ASSERT_TRUE(wait_until([&] { return pending_deadline(bus_.address()) != 0; }, 40s))
            << "no stop pending: " << vm_property(bus_.address(), kArch, "PendingStop");
    }
};

TEST_F(CtlPostponeTest, StatusShowsThePendingStop) {
    auto status = ctl({"status"});
    ASSERT_EQ(status.status, 0) << status.both();
    // 600 s from a moment ago.
    EXPECT_TRUE(contains(status.out, "arch-desktop: stop in 10 min (") ||
                contains(status.out, "arch-desktop: stop in 9 min ("))
        << status.out;
    EXPECT_TRUE(contains(status.out, ": idle (rule walked-away); hotseatctl postpone arch-desktop [SECONDS] keeps it"))
        << status.out;
    auto json = ctl({"status", "--json"});
    EXPECT_TRUE(contains(json.out, "\"action\": \"stop\"")) << json.out;
    EXPECT_TRUE(contains(json.out, "\"reason\": \"idle (rule walked-away)\"")) << json.out;
    EXPECT_EQ(vm_state(bus_.address(), kArch), "running");
}

TEST_F(CtlPostponeTest, PostponeMovesItAndWithoutSecondsCancelsIt) {
    auto before = wall_us();
    auto r = ctl({"postpone", "arch-desktop", "3600"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_TRUE(contains(r.out, "arch-desktop: stop in 59 min") || contains(r.out, "arch-desktop: stop in 1 h 0 min"))
        << r.out;
    auto deadline = pending_deadline(bus_.address());
    EXPECT_GE(deadline, before + 3600'000'000ull);
    EXPECT_LE(deadline, wall_us() + 3600'000'000ull);
    EXPECT_TRUE(contains(daemon_->log(), "postponed to 3600 s from now (dbus:Postpone uid=0)")) << daemon_->log();

    auto cancel = ctl({"postpone", "arch-desktop"});
    ASSERT_EQ(cancel.status, 0) << cancel.both();
    EXPECT_EQ(cancel.out, "arch-desktop: the pending stop is cancelled\n");
    EXPECT_EQ(pending_deadline(bus_.address()), 0u);
    EXPECT_EQ(vm_state(bus_.address(), kArch), "running");

    auto nothing = ctl({"postpone", "arch-desktop", "60"});
    EXPECT_EQ(nothing.status, 1) << nothing.both();
    EXPECT_TRUE(contains(nothing.err, "no stop is pending for arch-desktop (it is running)")) << nothing.err;
}

TEST_F(CtlPostponeTest, MonitorShowsTheStopMoveAndGo) {
    auto text = spawn_ctl({"monitor"});
    auto json = spawn_ctl({"monitor", "--json"});
    ASSERT_TRUE(wait_until([&] {
        return contains(text->output(), "Watching hotseatd") && contains(json->output(), "Watching hotseatd");
    })) << text->output()
        << json->output();
    ASSERT_EQ(ctl({"postpone", "arch-desktop", "120"}).status, 0);
    EXPECT_TRUE(wait_until([&] {
        return contains(text->output(), "vm arch-desktop: PendingStop=\"stop at ") &&
               contains(text->output(), ": idle (rule walked-away)\"");
    })) << text->output();
    EXPECT_TRUE(wait_until([&] { return contains(json->output(), "\"PendingStop\":{\"deadline\":\""); }))
        << json->output();
    ASSERT_EQ(ctl({"postpone", "arch-desktop", "0"}).status, 0);
    EXPECT_TRUE(wait_until([&] { return contains(text->output(), "vm arch-desktop: PendingStop=none"); }))
        << text->output();
    EXPECT_TRUE(wait_until([&] { return contains(json->output(), "\"PendingStop\":null"); })) << json->output();
}

TEST_F(CtlPostponeTest, RefusalsHaveTheirExitCodes) {
    auto nobody = ctl({"postpone", "arch-desktop", "60"}, /*as_nobody=*/true);
    EXPECT_EQ(nobody.status, 5) << nobody.both();
    auto too_long = ctl({"postpone", "arch-desktop", "604801"});
    EXPECT_EQ(too_long.status, 2) << too_long.both();
    auto unknown = ctl({"postpone", "nowhere"});
    EXPECT_EQ(unknown.status, 3) << unknown.both();
    EXPECT_NE(pending_deadline(bus_.address()), 0u) << "a refused postpone changed the pending stop";
}

TEST_F(CtlPostponeTest, AStopIsNotDelayed) {
    auto r = ctl({"stop", "--wait", "arch-desktop"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_EQ(vm_property(bus_.address(), kArch, "Reason"), "dbus:Stop uid=0");
    EXPECT_EQ(pending_deadline(bus_.address()), 0u);
}

}  // namespace
}  // namespace hotseat::test
