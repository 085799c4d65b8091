// [[rule]] source (hotseat.toml(5)): whose reports may fire a monitor or hotkey rule. Allowed only on
// those triggers, one of "host", "guest", "any", default "any".
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

// Lines 1-2: the VM; the rule starts on line 3.
std::string rule_with(const std::string& trigger_lines, const std::string& source_line) {
    return "[[vm]]\nname = \"a\"\n[[rule]]\nname = \"r\"\n" + trigger_lines + "action = \"start\"\nvm = \"a\"\n" +
           source_line;
}

const std::string kMonitor = "on = \"monitor.connected\"\n";
const std::string kHotkey = "on = \"hotkey\"\nkeys = [\"KEY_LEFTCTRL\", \"KEY_F12\"]\n";

TEST(RuleSource, DefaultsToAny) {
    auto load = load_text(rule_with(kMonitor, ""));
    ASSERT_TRUE(load.config) << describe(load.errors);
    EXPECT_EQ(load.config->rules[0].source, RuleSource::Any);
}

TEST(RuleSource, EachValueIsReadOnMonitorAndHotkeyRules) {
    for (const auto& trigger : {kMonitor, std::string("on = \"monitor.disconnected\"\n"), kHotkey}) {
        for (auto [text, value] : {std::pair{"host", RuleSource::Host}, std::pair{"guest", RuleSource::Guest},
                                   std::pair{"any", RuleSource::Any}}) {
            auto load = load_text(rule_with(trigger, "source = \"" + std::string(text) + "\"\n"));
            ASSERT_TRUE(load.config) << trigger << text << describe(load.errors);
            EXPECT_EQ(load.config->rules[0].source, value) << trigger << text;
            EXPECT_EQ(to_string(value), text);
        }
    }
}

TEST(RuleSource, UnknownValueListsTheChoices) {
    auto load = load_text(rule_with(kMonitor, "source = \"guests\"\n"));
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].to_string(),
              "hotseat.toml:8:10: rule \"r\": source \"guests\" is not a source (one of any, host, guest) "
              "(did you mean \"guest\"?)");
}

TEST(RuleSource, WrongTypeIsAnError) {
    auto load = load_text(rule_with(kMonitor, "source = 1\n"));
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].line, 8u);
    EXPECT_NE(load.errors[0].message.find("source must be a string"), std::string::npos) << describe(load.errors);
}

TEST(RuleSource, OnOtherTriggersIsAnErrorAtTheValue) {
    const std::string others[] = {
        "on = \"device.added\"\nmatch = { ID_VENDOR_ID = \"046d\" }\n",
        "on = \"device.removed\"\nmatch = { ID_VENDOR_ID = \"046d\" }\n",
        "on = \"vm.idle\"\n",
        "on = \"vm.stopped\"\n",
    };
    for (const auto& trigger : others) {
        std::string text = rule_with(trigger, "source = \"host\"\n");
        auto load = load_text(text);
        ASSERT_EQ(load.errors.size(), 1u) << trigger << describe(load.errors);
        const auto& e = load.errors[0];
        // The source line is the last one.
        std::uint32_t lines = 0;
        for (char c : text) lines += c == '\n';
        EXPECT_EQ(e.line, lines) << trigger;
        EXPECT_EQ(e.column, 10u) << trigger;
        EXPECT_NE(e.message.find("source is only allowed with on = \"monitor.connected\", \"monitor.disconnected\" "
                                 "or \"hotkey\""),
                  std::string::npos)
            << describe(load.errors);
    }
}

// Guest hotkeys (issue #18): a hotkey rule may listen to its VM's guest alone. One tied to a host
// keyboard (`device`, `match`) cannot: it is accepted with a warning.
TEST(RuleSource, GuestHotkeyRuleIsAccepted) {
    auto load = load_text(rule_with(kHotkey, "source = \"guest\"\n"));
    ASSERT_TRUE(load.config) << describe(load.errors);
    EXPECT_TRUE(load.warnings.empty()) << describe(load.warnings);
}

TEST(RuleSource, GuestHotkeyRuleOnAHostKeyboardIsAcceptedWithAWarning) {
    auto load = load_text(rule_with(kHotkey + "device = \"usb-Logitech*\"\n", "source = \"guest\"\n"));
    ASSERT_TRUE(load.config) << describe(load.errors);
    ASSERT_EQ(load.warnings.size(), 1u) << describe(load.warnings);
    EXPECT_EQ(load.warnings[0].line, 10u);
    EXPECT_NE(load.warnings[0].message.find("with device or match never fires"), std::string::npos)
        << describe(load.warnings);
}

}  // namespace
}  // namespace hotseat
