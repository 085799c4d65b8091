// The endings of `--wait` that the real daemon with libvirt's test driver cannot produce on
// demand (a VM that never settles, a start that fails half-way, the daemon going away), and the
// daemon's own refusal behind a permissive bus policy. A stand-in plays hotseatd: the real D-Bus
// objects (BusService, generated from the XML) in this process, with commands that the test
// answers and states that the test publishes.
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <functional>
#include <memory>

#include "dbus_fixture.h"

namespace hotseat::test {
namespace {

struct Finished {
    int status = -1;
    std::string output;  // stdout and stderr
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class CtlAgainstAStandIn : public DbusServiceTest {
protected:
    void publish(VmState state, const std::string& step = "", const std::string& last_error = "") {
        VmStatus status;
        status.name = "arch-desktop";
        status.state = state;
        status.step = step;
        status.last_error = last_error;
        service_->publish(PublishVm{status});
    }

    // Runs hotseatctl while this process serves the bus; `after_command` runs once a command
    // has been answered.
    Finished run_ctl(std::vector<std::string> args, const std::function<void()>& after_command = {},
                     bool as_nobody = false) {
        std::vector<std::string> argv{HOTSEATCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        if (as_nobody) argv.insert(argv.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
        Process ctl({argv, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_->address()}, {"LD_PRELOAD", ""}}, dir_.file("ctl.out")});
        std::size_t handled = 0;
        pump_until(
            [&] {
                if (commands_.size() > handled && after_command) after_command();
                handled = commands_.size();
                return !ctl.running();
            },
            std::chrono::seconds(20));
        return {ctl.stop(SIGKILL), ctl.output()};
    }

    TempDir dir_;
};

TEST_F(CtlAgainstAStandIn, AVmThatNeverSettlesTimesOutWithExit7) {
    auto r = run_ctl({"start", "--wait", "--timeout", "1", "arch-desktop"},
                     [&] { publish(VmState::Starting, "booting"); });
    EXPECT_EQ(r.status, 7) << r.output;
    EXPECT_TRUE(contains(r.output, "arch-desktop: starting (booting)\n")) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "hotseatctl: start arch-desktop: gave up waiting after 1 s; the VM is still starting "
                         "(booting) and the request stays in force\n"))
        << r.output;
    ASSERT_EQ(commands_.size(), 1u);
    EXPECT_EQ(commands_[0].action, Action::Start);
}

TEST_F(CtlAgainstAStandIn, AStartEndingFailedExits1WithTheError) {
    auto r = run_ctl({"start", "--wait", "arch-desktop"}, [&] {
        publish(VmState::Starting, "starting the domain");
        publish(VmState::Failed, "", "hook refused: 3072 hugepages asked, 2900 allocated");
    });
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "arch-desktop: starting (starting the domain)\narch-desktop: failed\n")) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "hotseatctl: start arch-desktop: the VM ended failed instead of running: hook "
                         "refused: 3072 hugepages asked, 2900 allocated\n"))
        << r.output;
}

TEST_F(CtlAgainstAStandIn, TheDaemonLeavingDuringAWaitExits6) {
    publish(VmState::Running);
    auto r = run_ctl({"stop", "--wait", "arch-desktop"}, [&] {
        publish(VmState::Stopping, "asking the guest to shut down (ACPI)");
        service_->flush();
        service_.reset();  // hotseatd exits: its name goes
    });
    EXPECT_EQ(r.status, 6) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "hotseatctl: stop arch-desktop: hotseatd left the bus while the VM was stopping "
                         "(asking the guest to shut down (ACPI))\n"))
        << r.output;
}

class CtlAgainstAStandInOnAPermissiveBus : public CtlAgainstAStandIn {
protected:
    bool permissive_bus() const override { return true; }
};

TEST_F(CtlAgainstAStandInOnAPermissiveBus, TheDaemonsOwnRefusalExits5) {
    auto r = run_ctl({"start", "arch-desktop"}, {}, /*as_nobody=*/true);
    EXPECT_EQ(r.status, 5) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "hotseatctl: start arch-desktop: access denied, this needs root or membership of "
                         "the configured control_group: Start: uid 65534 is neither root nor a member of "
                         "group '" +
                             std::string(kControlGroup) + "'\n"))
        << r.output;
    EXPECT_TRUE(commands_.empty());
}

}  // namespace
}  // namespace hotseat::test
