// hotseatctl start|stop|toggle|force-stop: --wait, and an exit code per failure.
#include <gtest/gtest.h>

#include "ctl_fixture.h"

namespace hotseat::test {
namespace {

using CtlVmCommands = CtlTest;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(CtlVmCommands, StartWaitPrintsProgressUntilRunning) {
    start_daemon();
    auto r = ctl({"start", "--wait", "arch-desktop"});
    ASSERT_EQ(r.status, 0) << r.both();
    auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines.front().rfind("arch-desktop: starting", 0), 0u) << r.out;
    EXPECT_EQ(lines.back(), "arch-desktop: running") << r.out;
    EXPECT_EQ(vm_state(bus_.address(), kArch), "running");
    EXPECT_EQ(vm_property(bus_.address(), kArch, "Reason"), "dbus:Start uid=0");
}

TEST_F(CtlVmCommands, StopWaitEndsOff) {
    start_daemon();
    ASSERT_EQ(ctl({"start", "--wait", "arch-desktop"}).status, 0);
    auto r = ctl({"stop", "--wait", "--timeout", "30", "arch-desktop"});
    ASSERT_EQ(r.status, 0) << r.both();
    auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines.front().rfind("arch-desktop: stopping", 0), 0u) << r.out;
    EXPECT_EQ(lines.back(), "arch-desktop: off") << r.out;
    EXPECT_EQ(vm_state(bus_.address(), kArch), "off");
}

// The whole way down to libvirt: VM.Hibernate, the agent's suspend on its own thread, libvirt's
// refusal (the test driver has no guest agent) and the fallback to the ACPI shutdown.
TEST_F(CtlVmCommands, StopHibernateFallsBackToShutdownWithoutAnAgent) {
    start_daemon();
    ASSERT_EQ(ctl({"start", "--wait", "arch-desktop"}).status, 0);
    auto r = ctl({"stop", "--hibernate", "--wait", "--timeout", "30", "arch-desktop"});
    ASSERT_EQ(r.status, 0) << r.both();
    auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines.front().rfind("arch-desktop: stopping (hibernating", 0), 0u) << r.out;
    EXPECT_EQ(lines.back(), "arch-desktop: off") << r.out;
    EXPECT_EQ(vm_property(bus_.address(), kArch, "Reason"),
              "dbus:Hibernate uid=0 (hibernate failed: shut down instead)");
    EXPECT_TRUE(contains(vm_property(bus_.address(), kArch, "LastError"),
                         "hibernate failed: this function is not supported by the connection driver: "
                         "virDomainPMSuspendForDuration"));
}

TEST_F(CtlVmCommands, HibernateIsAFlagOfStopOnly) {
    start_daemon();
    auto r = ctl({"start", "--hibernate", "arch-desktop"});
    EXPECT_EQ(r.status, 2) << r.both();
}

TEST_F(CtlVmCommands, WaitOnAVmAlreadyThereEndsAtOnce) {
    start_daemon();
    auto r = ctl({"stop", "--wait", "arch-desktop"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_EQ(r.out, "arch-desktop: off\n");
}

TEST_F(CtlVmCommands, ToggleAndForceStopWait) {
    start_daemon();
    auto toggled = ctl({"toggle", "--wait", "arch-desktop"});
    ASSERT_EQ(toggled.status, 0) << toggled.both();
    EXPECT_EQ(lines_of(toggled.out).back(), "arch-desktop: running");
    auto forced = ctl({"force-stop", "--wait", "arch-desktop"});
    ASSERT_EQ(forced.status, 0) << forced.both();
    EXPECT_EQ(lines_of(forced.out).back(), "arch-desktop: off");
    EXPECT_EQ(vm_property(bus_.address(), kArch, "Reason"), "dbus:ForceStop uid=0");
}

TEST_F(CtlVmCommands, StartWithoutWaitReturnsOnceAccepted) {
    start_daemon();
    auto r = ctl({"start", "arch-desktop"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
    EXPECT_TRUE(state_becomes(kArch, "running"));
}

TEST_F(CtlVmCommands, UnknownVmExits3) {
    start_daemon();
    auto r = ctl({"start", "no-such-vm"});
    EXPECT_EQ(r.status, 3) << r.both();
    EXPECT_EQ(r.err, "hotseatctl: start no-such-vm: no such VM: hotseatd manages arch-desktop, already-running\n");
}

TEST_F(CtlVmCommands, BusyExits4NamingTheHolder) {
    write_config({.shared_gpu = true});
    start_daemon();
    ASSERT_EQ(vm_state(bus_.address(), "already_2drunning"), "running");
    auto r = ctl({"start", "--wait", "arch-desktop"});
    EXPECT_EQ(r.status, 4) << r.both();
    EXPECT_TRUE(contains(r.err, "hotseatctl: start arch-desktop: busy, a device it needs is held by another VM: "))
        << r.err;
    EXPECT_TRUE(contains(r.err, "0000:00:02.0 is held by VM \"already-running\"")) << r.err;
    EXPECT_EQ(vm_state(bus_.address(), kArch), "off");
}

TEST_F(CtlVmCommands, FailureFromTheDaemonExits1) {
    write_config({.ghost_vm = true});
    start_daemon();
    auto r = ctl({"start", "--wait", "ghost"});
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_EQ(r.err, "hotseatctl: start ghost: hotseatd could not do it: libvirt has no domain named \"ghost\"\n");
}

TEST_F(CtlVmCommands, NobodyExits5) {
    start_daemon();
    auto r = ctl({"start", "arch-desktop"}, /*as_nobody=*/true);
    EXPECT_EQ(r.status, 5) << r.both();
    EXPECT_EQ(r.err,
              "hotseatctl: start arch-desktop: access denied, this needs root or membership of the "
              "configured control_group: refused by the system bus policy\n");
    EXPECT_EQ(vm_state(bus_.address(), kArch), "off");
    // Reading stays open to everyone.
    EXPECT_EQ(ctl({"status"}, true).status, 0);
}

TEST_F(CtlVmCommands, DaemonNotRunningExits6) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"start", "arch-desktop"}, {"status"}, {"reload"}, {"monitor"}}) {
        auto r = ctl(args);
        EXPECT_EQ(r.status, 6) << args[0] << "\n" << r.both();
        EXPECT_TRUE(contains(r.err,
                             "hotseatctl: hotseatd is not running (nobody owns org.hotseat.Supervisor1 on "
                             "the system bus at " +
                                 bus_.address()))
            << r.err;
    }
}

TEST_F(CtlVmCommands, NoSystemBusExits6) {
    auto r = run_command({HOTSEATCTL_PATH, "status"},
                         {{"DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + dir_.file("no-bus-here")}, {"LD_PRELOAD", ""}});
    EXPECT_EQ(r.status, 6) << r.both();
    EXPECT_TRUE(
        contains(r.err, "hotseatctl: cannot connect to the system bus at unix:path=" + dir_.file("no-bus-here")))
        << r.err;
}

TEST_F(CtlVmCommands, UsageErrorsExit2) {
    EXPECT_EQ(ctl({}).status, 2);
    EXPECT_EQ(ctl({"start"}).status, 2);
    EXPECT_EQ(ctl({"start", "arch-desktop", "--timeout", "5"}).status, 2);  // --timeout needs --wait
    EXPECT_EQ(ctl({"frobnicate"}).status, 2);
    auto help = ctl({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_TRUE(contains(help.out, "7  --wait timed out")) << help.out;
}

}  // namespace
}  // namespace hotseat::test
