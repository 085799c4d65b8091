// The keys that keep the desk from surprising its user (docs/design.md "Warned stops"): [[rule]] hold_s, and
// the warning before an automatic stop, [[vm]] warn_s and max_postpone_s. Their defaults, their
// bounds, and where hold_s is not allowed.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

const std::string kVm = "[[vm]]\nname = \"a\"\n";

std::string rule(const std::string& on, const std::string& extra) {
    return "[[rule]]\nname = \"r\"\non = \"" + on + "\"\naction = \"stop\"\nvm = \"a\"\n" + extra;
}

// The one error a config gives, as "line:column: message".
std::string only_error(const std::string& text) {
    auto load = load_text(text);
    if (load.errors.size() != 1) return "expected one error, got:\n" + describe(load.errors);
    const auto& e = load.errors[0];
    return std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
}

TEST(HoldConfig, DefaultsToZero) {
    auto load = load_text(kVm + rule("monitor.disconnected", ""));
    ASSERT_TRUE(load.config) << describe(load.errors);
    EXPECT_EQ(load.config->rules.at(0).hold_s, 0u);
}

TEST(HoldConfig, AcceptedOnMonitorAndDeviceRules) {
    for (const char* on : {"monitor.connected", "monitor.disconnected"}) {
        auto load = load_text(kVm + rule(on, "hold_s = 10\n"));
        ASSERT_TRUE(load.config) << on << ": " << describe(load.errors);
        EXPECT_EQ(load.config->rules.at(0).hold_s, 10u) << on;
    }
    for (const char* on : {"device.added", "device.removed"}) {
        auto load = load_text(kVm + rule(on, "match = { ID_VENDOR_ID = \"046d\" }\nhold_s = 3600\n"));
        ASSERT_TRUE(load.config) << on << ": " << describe(load.errors);
        EXPECT_EQ(load.config->rules.at(0).hold_s, 3600u) << on;
    }
}

TEST(HoldConfig, RefusedWhereNoConditionCanStillHold) {
    EXPECT_EQ(only_error(kVm + rule("hotkey", "keys = [\"KEY_F12\"]\nhold_s = 5\n")),
              "9:10: rule \"r\": hold_s is only allowed with on = \"monitor.connected\", \"monitor.disconnected\", "
              "\"device.added\" or \"device.removed\", not on = \"hotkey\"");
    EXPECT_EQ(only_error(kVm + rule("vm.idle", "hold_s = 5\n")).substr(0, 40),
              "8:10: rule \"r\": hold_s is only allowed w");
    EXPECT_NE(only_error(kVm + rule("vm.idle", "hold_s = 5\n")).find("not on = \"vm.idle\""), std::string::npos);
    EXPECT_NE(only_error(kVm + rule("vm.stopped", "hold_s = 0\n")).find("not on = \"vm.stopped\""), std::string::npos);
}

TEST(HoldConfig, Bounds) {
    EXPECT_EQ(only_error(kVm + rule("monitor.disconnected", "hold_s = 3601\n")),
              "8:10: rule \"r\": hold_s must be between 0 and 3600, got 3601");
    EXPECT_EQ(only_error(kVm + rule("monitor.disconnected", "hold_s = -1\n")),
              "8:10: rule \"r\": hold_s must be between 0 and 3600, got -1");
    EXPECT_EQ(only_error(kVm + rule("monitor.disconnected", "hold_s = \"10\"\n")),
              "8:10: rule \"r\": hold_s must be an integer, got string");
}

TEST(WarnConfig, Defaults) {
    auto load = load_text(kVm);
    ASSERT_TRUE(load.config) << describe(load.errors);
    EXPECT_EQ(load.config->vms.at(0).warn_s, 60u);
    EXPECT_EQ(load.config->vms.at(0).max_postpone_s, 3600u);
}

TEST(WarnConfig, ValuesAndBounds) {
    auto load = load_text(kVm + "warn_s = 0\nmax_postpone_s = 86400\n");
    ASSERT_TRUE(load.config) << describe(load.errors);
    EXPECT_EQ(load.config->vms.at(0).warn_s, 0u);
    EXPECT_EQ(load.config->vms.at(0).max_postpone_s, 86400u);
    load = load_text(kVm + "warn_s = 600\nmax_postpone_s = 0\n");
    ASSERT_TRUE(load.config) << describe(load.errors);
    EXPECT_EQ(load.config->vms.at(0).warn_s, 600u);
    EXPECT_EQ(load.config->vms.at(0).max_postpone_s, 0u);
    EXPECT_EQ(only_error(kVm + "warn_s = 601\n"), "3:10: vm \"a\": warn_s must be between 0 and 600, got 601");
    EXPECT_EQ(only_error(kVm + "max_postpone_s = 86401\n"),
              "3:18: vm \"a\": max_postpone_s must be between 0 and 86400, got 86401");
    EXPECT_EQ(only_error(kVm + "warn_s = true\n"), "3:10: vm \"a\": warn_s must be an integer, got boolean");
}

TEST(WarnConfig, AMisspeltKeyIsSuggested) {
    auto load = load_text(kVm + "warn_sec = 30\n");
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_NE(load.errors[0].message.find("did you mean \"warn_s\""), std::string::npos) << load.errors[0].message;
}

}  // namespace
}  // namespace hotseat
