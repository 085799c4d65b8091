// Fault: the config file is replaced by garbage and reloaded (SIGHUP and Manager.Reload). The
// old rules stay in force, ConfigError says what is wrong, nothing else changes; then a good
// config reloads and its new rules take over.
#include <gtest/gtest.h>
#include <signal.h>

#include "hotseatd_test.h"

namespace hotseat::test {
namespace {

const std::string kVm = "arch_2ddesktop";

std::string config_text(const std::string& connector) {
    return supervisor_section() +
           "debounce_ms = 0\n"
           "[[vm]]\nname = \"arch-desktop\"\nshutdown_timeout_s = 5\n"
           "[[rule]]\nname = \"plug-" +
           connector + "\"\non = \"monitor.connected\"\nconnector = \"" + connector +
           "\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n"
           "[[rule]]\nname = \"unplug-" +
           connector + "\"\non = \"monitor.disconnected\"\nconnector = \"" + connector +
           "\"\n"
           "action = \"stop\"\nvm = \"arch-desktop\"\n";
}

// What a disk, an editor or a bad deploy may leave behind.
const std::vector<std::pair<std::string, std::string>> kGarbage = {
    {"binary", std::string("\x7f"
                           "ELF\x02\x01\x01\0\0\0\xff\xfe\x00\x80",
                           14)},
    // Cut inside the first rule's string: a syntax error wherever the checkout lives (the
    // libvirt URI holds the source path, so a fixed byte count could cut between two keys).
    {"truncated", config_text("HDMI-A-1").substr(0, config_text("HDMI-A-1").find("connector = \"") + 16)},
    {"zero-filled", std::string(4096, '\0')},  // blocks allocated, never written (crash on write)
    {"invalid UTF-8", "[supervisor]\ndebounce_ms = 0\n# \xc3\x28 \xf0\x28\x8c\x28\n[[vm]]\nname = \"\xff\"\n"},
    {"huge line", "[supervisor]\n# " + std::string(2 * 1024 * 1024, 'x') + "\n"},
    // Hostile (issue #19): nesting the TOML parser would follow until its stack overflows.
    {"deep dotted key", "[k" +
                            [] {
                                std::string key;
                                for (int i = 0; i < 32'000; ++i) key += ".k";
                                return key;
                            }() +
                            "]\n"},
    {"deep arrays", "x = " + std::string(100'000, '[') + std::string(100'000, ']') + "\n"},
};

std::string config_error(const std::string& bus) { return manager_property(bus, "ConfigError"); }

class ConfigGarbage : public HotseatdTest {
protected:
    void SetUp() override {
        testbed_.add_intel_igpu();
        testbed_.add_connector("DP-1");
        write_config(config_text("HDMI-A-1"));
        start_daemon();
    }
    bool state_becomes(const std::string& state) { return HotseatdTest::state_becomes(kVm, state); }
    size_t fired(const std::string& rule) const {
        const std::string line = "rule " + rule + " fired", log = daemon_->log();
        size_t n = 0;
        for (auto at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++n;
        return n;
    }
    // The rules in force: `dead` is plugged first, then `live`. Uevents are handled in order, so
    // once `live` has started the VM, a rule for `dead` would have fired already: no waiting
    // for something not to happen.
    void only_live_drives_the_vm(const std::string& live, const std::string& dead) {
        const size_t live_before = fired("plug-" + live), dead_before = fired("plug-" + dead);
        testbed_.plug_monitor(dead);
        testbed_.plug_monitor(live);
        EXPECT_TRUE(state_becomes("running")) << live << ": its rule is not in force";
        EXPECT_EQ(vm_property(bus_.address(), kVm, "Reason"), "plug-" + live);
        EXPECT_EQ(fired("plug-" + live), live_before + 1);
        EXPECT_EQ(fired("plug-" + dead), dead_before) << dead << ": a rule that should be gone fired";
        testbed_.unplug_monitor(dead);
        testbed_.unplug_monitor(live);
        EXPECT_TRUE(state_becomes("off")) << live << ": the unplug rule is not in force";
    }
};

TEST_F(ConfigGarbage, OldRulesStayInForceUntilAGoodConfigReloads) {
    std::string message;
    bool by_signal = true;
    for (const auto& [kind, text] : kGarbage) {
        SCOPED_TRACE(kind);
        write_file(config_, text);
        // Both ways in, alternately: SIGHUP (systemctl reload) and Manager.Reload (hotseatctl).
        if (by_signal)
            ::kill(daemon_->process().pid(), SIGHUP);
        else
            EXPECT_NE(call_reload(bus_.address(), &message), 0) << "Reload accepted garbage";
        by_signal = !by_signal;
        ASSERT_TRUE(wait_until([&] { return !config_error(bus_.address()).empty(); })) << "no ConfigError";
        EXPECT_NE(config_error(bus_.address()).find("hotseat.toml"), std::string::npos) << config_error(bus_.address());
        only_live_drives_the_vm("HDMI-A-1", "DP-1");
        ASSERT_TRUE(daemon_->process().running()) << "hotseatd died";
        // Back to a good config before the next kind, so each garbage replaces a good one.
        write_file(config_, config_text("HDMI-A-1"));
        ASSERT_EQ(call_reload(bus_.address(), &message), 0) << message;
        EXPECT_EQ(config_error(bus_.address()), "");
    }
    // A good config with different rules reloads: ConfigError clears, the new rules take over.
    write_file(config_, config_text("DP-1"));
    ASSERT_EQ(call_reload(bus_.address(), &message), 0) << message;
    EXPECT_EQ(config_error(bus_.address()), "");
    only_live_drives_the_vm("DP-1", "HDMI-A-1");
}

}  // namespace
}  // namespace hotseat::test
