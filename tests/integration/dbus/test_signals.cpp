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

// The VM object builds its signal by hand (supervisor/dbus/properties_changed.h): every changed
// value travels with the type dbus/org.hotseat.Supervisor1.xml declares, and nothing is only
// invalidated, so a client never has to call back for a value.
TEST_F(DbusServiceTest, VmChangeCarriesEveryChangedValueWithItsDeclaredType) {
    auto status = arch(VmState::Stopping);
    status.step = "asking the guest to shut down";
    status.reason = "desk-idle";
    status.last_error = "the guest did not answer";
    status.state_changed_at_us = 1'700'000'000'000'042;
    status.devices = {"046d:c52b", "feed:beef"};
    status.pending_stop = PendingStop{1'700'000'000'600'000, "force-stop", "idle for 30 minutes"};
    status.idle_inhibitor = "video playing";
    service_->publish(PublishVm{status});
    service_->publish_guest_helper("arch-desktop", "0.4.0");
    settle_signals();

    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 2u);
    const auto& v = changes[0].values;
    ASSERT_EQ(v.size(), 8u);
    EXPECT_EQ(v.at("State").get<std::string>(), "stopping");
    EXPECT_EQ(v.at("Step").get<std::string>(), "asking the guest to shut down");
    EXPECT_EQ(v.at("Reason").get<std::string>(), "desk-idle");
    EXPECT_EQ(v.at("LastError").get<std::string>(), "the guest did not answer");
    EXPECT_EQ(v.at("StateChangedAt").get<uint64_t>(), 1'700'000'000'000'042u);
    EXPECT_EQ(v.at("Devices").get<std::vector<std::string>>(), (Names{"046d:c52b", "feed:beef"}));
    auto stop = v.at("PendingStop").get<sdbus::Struct<uint64_t, std::string, std::string>>();
    EXPECT_EQ(std::get<0>(stop), 1'700'000'000'600'000u);
    EXPECT_EQ(std::get<1>(stop), "force-stop");
    EXPECT_EQ(std::get<2>(stop), "idle for 30 minutes");
    EXPECT_EQ(v.at("IdleInhibitor").get<std::string>(), "video playing");
    EXPECT_TRUE(changes[0].invalidated.empty());
    EXPECT_EQ(changes[1].values.at("GuestHelper").get<std::string>(), "0.4.0");
    EXPECT_TRUE(changes[1].invalidated.empty());
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

// The manager's setter builds its signal like the VM's (supervisor/dbus/properties_changed.h): each
// value with the type dbus/org.hotseat.Supervisor1.xml declares, as its getter hands it out.
TEST_F(DbusServiceTest, ManagerChangeCarriesEveryChangedValueWithItsDeclaredType) {
    service_->publish(PublishLibvirtConnected{true});
    service_->publish(PublishMonitors{{{"HDMI-A-1", true}, {"DP-1", false, true}}});
    service_->publish_keyboards({{"/dev/input/event3", "AT keyboard"}});
    service_->publish(PublishGpus{{{"0000:00:02.0", "vfio-pci", "arch-desktop"}}});
    service_->set_config("/etc/hotseat/hotseat.toml", "line 3: unknown key");
    service_->set_vms({"arch-desktop", "win-desk"});
    settle_signals();

    std::map<std::string, sdbus::Variant> values;
    for (const auto& c : seen("PropertiesChanged")) {
        if (c.path != "/org/hotseat/Supervisor1") continue;
        EXPECT_TRUE(c.invalidated.empty());
        for (const auto& [name, value] : c.values) values.insert_or_assign(name, value);
    }
    ASSERT_EQ(values.size(), 7u);
    EXPECT_TRUE(values.at("LibvirtConnected").get<bool>());
    using Pairs = std::vector<sdbus::Struct<std::string, std::string>>;
    EXPECT_EQ(values.at("Monitors").get<Pairs>(), (Pairs{{"HDMI-A-1", "connected"}, {"DP-1", "unknown"}}));
    EXPECT_EQ(values.at("Keyboards").get<Pairs>(), (Pairs{{"/dev/input/event3", "AT keyboard"}}));
    using Triples = std::vector<sdbus::Struct<std::string, std::string, std::string>>;
    EXPECT_EQ(values.at("Gpus").get<Triples>(), (Triples{{"0000:00:02.0", "vfio-pci", "arch-desktop"}}));
    EXPECT_EQ(values.at("ConfigPath").get<std::string>(), "/etc/hotseat/hotseat.toml");
    EXPECT_EQ(values.at("ConfigError").get<std::string>(), "line 3: unknown key");
    auto vms = values.at("VMs").get<std::vector<sdbus::ObjectPath>>();
    ASSERT_EQ(vms.size(), 2u);
    EXPECT_EQ(std::string(vms[0]), kArchPath);
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
