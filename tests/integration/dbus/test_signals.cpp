// Property changes and RuleFired as a client on the bus sees them.
#include "dbus_fixture.h"

namespace hotseat::test {
namespace {

using Names = std::vector<std::string>;

VmStatus arch(VmState state) {
    VmStatus status;
    status.name = "arch-desktop";
    status.state = state;
    return status;
}

TEST_F(DbusServiceTest, VmChangeEmitsOneSignalListingExactlyTheChangedProperties) {
    auto status = arch(VmState::Starting);
    status.step = "starting domain";
    status.reason = "dbus:Start uid=0";
    status.state_changed_at_us = 42;
    service_->publish(PublishVm{status});
    settle_signals();

    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].path, kArchPath);
    // sd-bus sends the changed values as a dictionary: names come back sorted.
    EXPECT_EQ(changes[0].args, (Names{"org.hotseat.Supervisor1.VM", "Reason", "State", "StateChangedAt", "Step"}));
}

TEST_F(DbusServiceTest, RepublishingTheSameStatusEmitsNothing) {
    auto status = arch(VmState::Running);
    service_->publish(PublishVm{status});
    settle_signals();
    forget_signals();

    service_->publish(PublishVm{status});
    service_->publish(PublishMonitors{});
    service_->publish(PublishLibvirtConnected{false});
    service_->set_config("", "");
    service_->publish_keyboards({});
    settle_signals();
    EXPECT_TRUE(seen("PropertiesChanged").empty());
}

// GuestHelper goes through the VM object's one setter like the engine's status: announced when it
// changes, never again for a VM update that leaves it as it is.
TEST_F(DbusServiceTest, GuestHelperIsAnnouncedOnlyWhenItChanges) {
    service_->publish_guest_helper("arch-desktop", "0.4.0");
    service_->publish_guest_helper("arch-desktop", "0.4.0");
    service_->publish(PublishVm{arch(VmState::Running)});
    settle_signals();
    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].args, (Names{"org.hotseat.Supervisor1.VM", "GuestHelper"}));
    EXPECT_EQ(changes[1].args, (Names{"org.hotseat.Supervisor1.VM", "State"}));
    auto helper = busctl(
        {"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "GuestHelper"});
    EXPECT_EQ(helper.output, "s \"0.4.0\"\n");
}

TEST_F(DbusServiceTest, EachChangeIsReportedOnce) {
    service_->publish(PublishVm{arch(VmState::Starting)});
    service_->publish(PublishVm{arch(VmState::Running)});
    auto with_device = arch(VmState::Running);
    with_device.devices = {"046d:c52b"};
    service_->publish(PublishVm{with_device});
    settle_signals();

    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[0].args, (Names{"org.hotseat.Supervisor1.VM", "State"}));
    EXPECT_EQ(changes[1].args, (Names{"org.hotseat.Supervisor1.VM", "State"}));
    EXPECT_EQ(changes[2].args, (Names{"org.hotseat.Supervisor1.VM", "Devices"}));
}

TEST_F(DbusServiceTest, ManagerChangesEmitForTheChangedPropertyOnly) {
    service_->publish(PublishLibvirtConnected{true});
    service_->publish(PublishMonitors{{{"HDMI-A-1", true}}});
    service_->publish(PublishMonitors{{{"HDMI-A-1", true}}});
    service_->publish_keyboards({{"/dev/input/event3", "AT keyboard"}});
    service_->set_config("/etc/hotseat/hotseat.toml", "");
    settle_signals();

    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 4u);
    for (const auto& c : changes) EXPECT_EQ(c.path, "/org/hotseat/Supervisor1");
    EXPECT_EQ(changes[0].args, (Names{"org.hotseat.Supervisor1.Manager", "LibvirtConnected"}));
    EXPECT_EQ(changes[1].args, (Names{"org.hotseat.Supervisor1.Manager", "Monitors"}));
    EXPECT_EQ(changes[2].args, (Names{"org.hotseat.Supervisor1.Manager", "Keyboards"}));
    EXPECT_EQ(changes[3].args, (Names{"org.hotseat.Supervisor1.Manager", "ConfigPath"}));
}

TEST_F(DbusServiceTest, GpusEmitsOnlyWhenItChanges) {
    service_->publish(PublishGpus{{{"0000:00:02.0", "i915", ""}}});
    service_->publish(PublishGpus{{{"0000:00:02.0", "i915", ""}}});
    service_->publish(PublishGpus{{{"0000:00:02.0", "i915", "arch-desktop"}}});
    settle_signals();
    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 2u);
    for (const auto& c : changes) EXPECT_EQ(c.args, (Names{"org.hotseat.Supervisor1.Manager", "Gpus"}));
}

TEST_F(DbusServiceTest, UnknownVmIsIgnored) {
    VmStatus ghost;
    ghost.name = "ghost";
    ghost.state = VmState::Running;
    service_->publish(PublishVm{ghost});
    settle_signals();
    EXPECT_TRUE(seen("PropertiesChanged").empty());
}

TEST_F(DbusServiceTest, RuleFiredIsEmitted) {
    service_->emit(RuleFired{"desk-monitor", "monitor.connected HDMI-A-1", "arch-desktop", "start"});
    ASSERT_TRUE(pump_until([&] { return !seen("RuleFired").empty(); }));
    auto fired = seen("RuleFired");
    EXPECT_EQ(fired[0].path, "/org/hotseat/Supervisor1");
    EXPECT_EQ(fired[0].args, (Names{"desk-monitor", "monitor.connected HDMI-A-1", "arch-desktop", "start"}));
}

}  // namespace
}  // namespace hotseat::test
