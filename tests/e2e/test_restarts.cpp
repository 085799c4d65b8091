// The truth comes from libvirt: a running guest outlives a libvirtd restart and a hotseatd crash,
// and hotseatd picks it up again without starting or stopping anything.
#include <signal.h>

#include "e2e_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

TEST_F(E2e, LibvirtdRestartIsSurvivedAndReconnected) {
    Stopwatch watch("libvirtd-restart");
    ASSERT_NO_FATAL_FAILURE(start({}));
    watch.lap("setup");
    ASSERT_NO_FATAL_FAILURE(plug_and_boot(watch));
    const pid_t qemu = libvirt_->qemu_pid(kVm);
    ASSERT_NE(qemu, 0);
    ASSERT_EQ(libvirt_connected(), "true");

    libvirt_->kill_libvirtd();
    ASSERT_TRUE(wait_until([&] { return libvirt_connected() == "false"; }, 10s)) << "LibvirtConnected stayed true";
    watch.lap("kill->disconnected");
    EXPECT_EQ(state(), "running") << "a dead libvirtd is not a dead guest";

    libvirt_->start_libvirtd();
    ASSERT_TRUE(wait_until([&] { return libvirt_connected() == "true"; }, 20s)) << "hotseatd did not reconnect";
    watch.lap("restart->reconnected");
    EXPECT_EQ(state(), "running");
    EXPECT_EQ(libvirt_->qemu_pid(kVm), qemu) << "the guest was restarted";
    EXPECT_EQ(serial_->count(kGuestReady), 1u) << "the guest booted twice";
    auto changes = recorder_->libvirt_connected_changes();
    ASSERT_GE(changes.size(), 2u) << "PropertiesChanged for LibvirtConnected missing";
    EXPECT_EQ(changes[changes.size() - 2], "false");
    EXPECT_EQ(changes.back(), "true");

    // Events flow again on the new connection: an unplug still shuts the guest down.
    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off")) << "State is " << state();
    watch.lap("unplug->off");
    EXPECT_EQ(reason(), "desk-unplug");
    EXPECT_EQ(serial_->count(kGuestAcpiPoweroff), 1u);
    watch.print();
}

TEST_F(E2e, HotseatdCrashAndRestartAdoptsTheRunningGuest) {
    Stopwatch watch("hotseatd-restart-adopts");
    ASSERT_NO_FATAL_FAILURE(start({}));
    watch.lap("setup");
    ASSERT_NO_FATAL_FAILURE(plug_and_boot(watch));
    const pid_t qemu = libvirt_->qemu_pid(kVm);
    ASSERT_NE(qemu, 0);

    ASSERT_NO_FATAL_FAILURE(kill_daemon());
    EXPECT_EQ(libvirt_->qemu_pid(kVm), qemu) << "the guest went down with hotseatd";
    ASSERT_NO_FATAL_FAILURE(restart_daemon());
    watch.lap("kill->restarted");
    // READY=1 waits for libvirt's answer: the adopted state is there at once.
    EXPECT_EQ(state(), "running");
    EXPECT_EQ(reason(), "adopted");
    EXPECT_EQ(libvirt_->qemu_pid(kVm), qemu) << "the guest was restarted";
    EXPECT_EQ(serial_->count(kGuestReady), 1u) << "the guest booted twice";
    EXPECT_EQ(daemon_->log().find("rule desk-monitor fired"), std::string::npos)
        << "the still-connected monitor fired a rule on restart";

    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off")) << "State is " << state();
    watch.lap("unplug->off");
    EXPECT_EQ(reason(), "desk-unplug");
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
