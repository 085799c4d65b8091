// The enums' names (hotseat/names.h): each round-trips, the walk over an enum finds every
// enumerator in order, and nothing else parses as one.
#include <gtest/gtest.h>

#include "hotseat/config.h"
#include "hotseat/effects.h"
#include "hotseat/events.h"
#include "hotseat/names.h"

namespace hotseat {
namespace {

TEST(Names, TriggersRoundTrip) {
    const std::pair<Trigger, std::string_view> all[] = {
        {Trigger::MonitorConnected, "monitor.connected"},
        {Trigger::MonitorDisconnected, "monitor.disconnected"},
        {Trigger::DeviceAdded, "device.added"},
        {Trigger::DeviceRemoved, "device.removed"},
        {Trigger::Hotkey, "hotkey"},
        {Trigger::VmIdle, "vm.idle"},
        {Trigger::VmStopped, "vm.stopped"},
    };
    for (const auto& [trigger, name] : all) {
        EXPECT_EQ(to_string(trigger), name);
        EXPECT_EQ(trigger_from_string(name), trigger);
    }
}

TEST(Names, ActionsRoundTrip) {
    const std::pair<Action, std::string_view> all[] = {
        {Action::Start, "start"},          {Action::Stop, "stop"},           {Action::Toggle, "toggle"},
        {Action::ForceStop, "force-stop"}, {Action::Hibernate, "hibernate"},
    };
    for (const auto& [action, name] : all) {
        EXPECT_EQ(to_string(action), name);
        EXPECT_EQ(action_from_string(name), action);
    }
}

TEST(Names, UnknownNamesAreRejected) {
    EXPECT_FALSE(trigger_from_string("").has_value());
    EXPECT_FALSE(trigger_from_string("Hotkey").has_value());
    EXPECT_FALSE(trigger_from_string("monitor").has_value());
    EXPECT_FALSE(action_from_string("force_stop").has_value());
    EXPECT_FALSE(action_from_string("START").has_value());
}

// Each enum's walk ends at its last enumerator: all_values stops at the first value to_string
// does not name, so a name missing in a table would cut the list short here.
template <typename E>
void expect_walk(std::vector<std::string_view> names) {
    EXPECT_EQ(all_names<E>(), names);
    auto values = all_values<E>();
    ASSERT_EQ(values.size(), names.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(static_cast<int>(values[i]), static_cast<int>(i));
        EXPECT_EQ(from_name<E>(names[i]), values[i]);
    }
    EXPECT_EQ(to_string(static_cast<E>(names.size())), kUnknownName);
    EXPECT_FALSE(from_name<E>(kUnknownName).has_value());
    EXPECT_FALSE(from_name<E>("").has_value());
}

TEST(Names, EveryEnumWalksToItsLastEnumerator) {
    expect_walk<Trigger>({"monitor.connected", "monitor.disconnected", "device.added", "device.removed", "hotkey",
                          "vm.idle", "vm.stopped"});
    expect_walk<Action>({"start", "stop", "toggle", "force-stop", "hibernate"});
    expect_walk<RuleSource>({"any", "host", "guest"});
    expect_walk<GovernorTop>({"none", "suspend", "stop"});
    expect_walk<VmState>({"off", "starting", "running", "stopping", "failed", "suspended"});
    expect_walk<DomainRunState>({"off", "running", "paused", "crashed", "suspended"});
    expect_walk<DomainOp>({"start", "shutdown", "destroy", "hibernate", "wakeup"});
    expect_walk<StopMode>({"shutdown", "hibernate"});
    expect_walk<UsbOp>({"attach", "detach"});
    expect_walk<TuneOp>({"cpu-weight", "vcpu-quota", "balloon", "suspend", "resume"});
}

TEST(Names, ConfigErrorToString) {
    EXPECT_EQ((ConfigError{"f.toml", 3, 7, "bad"}).to_string(), "f.toml:3:7: bad");
    EXPECT_EQ((ConfigError{"f.toml", 0, 0, "unreadable"}).to_string(), "f.toml: unreadable");
}

TEST(Names, FindVmReturnsTheEntryOrNull) {
    Config config;
    config.vms.push_back(VmConfig{});
    config.vms.back().name = "a";
    config.vms.push_back(VmConfig{});
    config.vms.back().name = "b";
    ASSERT_NE(config.find_vm("b"), nullptr);
    EXPECT_EQ(config.find_vm("b"), &config.vms[1]);
    EXPECT_EQ(config.find_vm("c"), nullptr);
    EXPECT_EQ(config.find_vm(""), nullptr);
}

}  // namespace
}  // namespace hotseat
