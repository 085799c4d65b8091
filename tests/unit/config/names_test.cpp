// Trigger and action names round-trip, and nothing else parses as one.
#include <gtest/gtest.h>

#include "hotseat/config.h"

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
        {Action::Start, "start"},
        {Action::Stop, "stop"},
        {Action::Toggle, "toggle"},
        {Action::ForceStop, "force-stop"},
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
