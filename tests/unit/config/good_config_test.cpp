// A valid config parses to exactly the model it describes; left-out keys take their defaults.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

// The first example configuration of the design, kept verbatim: it must stay valid.
const char* const kDesignExample = R"(
[supervisor]
libvirt_uri = "qemu:///system"   # default
control_group = "wheel"          # besides root, members may call state-changing methods
debounce_ms = 1500               # repeats of one trigger within this window are ignored

[[vm]]
name = "arch-desktop"            # an existing libvirt domain
gpu = ["0000:00:02.0"]           # PCI devices the VM takes exclusively
usb = [{ vendor = "046d", product = "c52b" }]  # attached live while running, on plug and replug
shutdown_timeout_s = 60
idle_timeout_min = 30            # 0 = never
idle_cpu_percent = 3             # idle means guest CPU below this (and no guest-reported input)

[[rule]]
name = "desk-monitor"
on = "monitor.connected"         # monitor.connected | monitor.disconnected | device.added |
connector = "HDMI-A-1"           # device.removed | hotkey | vm.idle | vm.stopped
action = "start"                 # start | stop | toggle | force-stop
vm = "arch-desktop"

[[rule]]
name = "desk-hotkey"
on = "hotkey"
keys = ["KEY_LEFTCTRL", "KEY_LEFTALT", "KEY_F12"]   # chord: all held, fires once on the last press
action = "toggle"
vm = "arch-desktop"

[[rule]]
name = "keyboard-gone"
on = "device.removed"
match = { ID_VENDOR_ID = "046d", ID_MODEL_ID = "c52b" }   # udev properties; glob values allowed
action = "stop"
vm = "arch-desktop"
)";

TEST(GoodConfig, DesignExampleParsesToTheModel) {
    auto load = load_text(kDesignExample);
    ASSERT_TRUE(load.errors.empty()) << describe(load.errors);
    ASSERT_TRUE(load.config.has_value());
    const Config& config = *load.config;
    EXPECT_EQ(config.path, "hotseat.toml");
    EXPECT_EQ(config.supervisor.libvirt_uri, "qemu:///system");
    EXPECT_EQ(config.supervisor.control_group, "wheel");
    EXPECT_EQ(config.supervisor.debounce_ms, 1500u);

    ASSERT_EQ(config.vms.size(), 1u);
    const VmConfig& vm = config.vms[0];
    EXPECT_EQ(vm.name, "arch-desktop");
    EXPECT_EQ(vm.gpu, std::vector<std::string>{"0000:00:02.0"});
    ASSERT_EQ(vm.usb.size(), 1u);
    EXPECT_EQ(vm.usb[0].vendor, "046d");
    EXPECT_EQ(vm.usb[0].product, "c52b");
    EXPECT_EQ(vm.usb[0].serial, "");
    EXPECT_EQ(vm.shutdown_timeout_s, 60u);
    EXPECT_EQ(vm.idle_timeout_min, 30u);
    EXPECT_EQ(vm.idle_cpu_percent, 3u);

    ASSERT_EQ(config.rules.size(), 3u);
    const Rule& monitor = config.rules[0];
    EXPECT_EQ(monitor.name, "desk-monitor");
    EXPECT_EQ(monitor.on, Trigger::MonitorConnected);
    EXPECT_EQ(monitor.connector, "HDMI-A-1");
    EXPECT_EQ(monitor.action, Action::Start);
    EXPECT_EQ(monitor.vm, "arch-desktop");
    EXPECT_FALSE(monitor.takeover);
    EXPECT_TRUE(monitor.keys.empty());
    EXPECT_TRUE(monitor.match.empty());

    const Rule& hotkey = config.rules[1];
    EXPECT_EQ(hotkey.name, "desk-hotkey");
    EXPECT_EQ(hotkey.on, Trigger::Hotkey);
    EXPECT_EQ(hotkey.keys, (std::vector<std::string>{"KEY_LEFTCTRL", "KEY_LEFTALT", "KEY_F12"}));
    EXPECT_EQ(hotkey.action, Action::Toggle);
    EXPECT_EQ(hotkey.connector, "");

    const Rule& gone = config.rules[2];
    EXPECT_EQ(gone.name, "keyboard-gone");
    EXPECT_EQ(gone.on, Trigger::DeviceRemoved);
    EXPECT_EQ(gone.match, (std::map<std::string, std::string>{{"ID_VENDOR_ID", "046d"}, {"ID_MODEL_ID", "c52b"}}));
    EXPECT_EQ(gone.action, Action::Stop);

    ASSERT_NE(config.find_vm("arch-desktop"), nullptr);
    EXPECT_EQ(config.find_vm("arch-desktop")->name, "arch-desktop");
    EXPECT_EQ(config.find_vm("arch"), nullptr);
}

// Hotkeys are read from evdev keyboards by the input adapter: no "not acted on yet" warning.
TEST(GoodConfig, HotkeyRuleIsAcceptedWithoutAWarning) {
    auto load = load_text(kDesignExample);
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_TRUE(load.warnings.empty()) << describe(load.warnings);
}

// `device` is kept as the name in /dev/input/by-id, whichever form was written.
TEST(GoodConfig, HotkeyDeviceIsKeptAsTheByIdName) {
    auto load = load_text(
        "[[vm]]\nname = \"a\"\n"
        "[[rule]]\nname = \"glob\"\non = \"hotkey\"\nkeys = [\"KEY_F12\"]\n"
        "device = \"usb-Logitech_*-kbd\"\naction = \"start\"\nvm = \"a\"\n"
        "[[rule]]\nname = \"path\"\non = \"hotkey\"\nkeys = [\"KEY_F11\"]\n"
        "device = \"/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd\"\naction = \"start\"\nvm = \"a\"\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    ASSERT_EQ(load.config->rules.size(), 2u);
    EXPECT_EQ(load.config->rules[0].device, "usb-Logitech_*-kbd");
    EXPECT_EQ(load.config->rules[1].device, "usb-Logitech_USB_Receiver-event-kbd");
}

// vm.idle fires now (guest channel + CPU samples): no warning, unless the VM is never idle.
TEST(GoodConfig, IdleRuleIsAcceptedWithoutAWarning) {
    auto load = load_text(
        "[[vm]]\nname = \"a\"\n[[rule]]\nname = \"idle\"\non = \"vm.idle\"\n"
        "action = \"stop\"\nvm = \"a\"\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_TRUE(load.warnings.empty()) << describe(load.warnings);
}

TEST(GoodConfig, IdleRuleForANeverIdleVmWarns) {
    auto load = load_text(
        "[[vm]]\nname = \"a\"\nidle_timeout_min = 0\n[[rule]]\nname = \"idle\"\non = \"vm.idle\"\n"
        "action = \"stop\"\nvm = \"a\"\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    ASSERT_EQ(load.warnings.size(), 1u);
    EXPECT_EQ(load.warnings[0].to_string(),
              "hotseat.toml:6:6: rule \"idle\": trigger vm.idle never fires: vm \"a\" has "
              "idle_timeout_min = 0 (never idle)");
}

TEST(GoodConfig, GuestChannelAndIdleSeconds) {
    auto load = load_text("[[vm]]\nname = \"a\"\nguest_channel = true\nidle_timeout_s = 20\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_TRUE(load.config->vms[0].guest_channel);
    EXPECT_EQ(load.config->vms[0].idle_timeout_s, 20u);
}

TEST(GoodConfig, StopModeAndHibernateTimeout) {
    auto load = load_text(
        "[[vm]]\nname = \"a\"\nstop_mode = \"hibernate\"\nhibernate_timeout_s = 300\n"
        "[[vm]]\nname = \"b\"\n"
        "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"hibernate\"\nvm = \"b\"\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->vms[0].stop_mode, StopMode::Hibernate);
    EXPECT_EQ(load.config->vms[0].hibernate_timeout_s, 300u);
    EXPECT_EQ(load.config->vms[1].stop_mode, StopMode::Shutdown);  // the defaults
    EXPECT_EQ(load.config->vms[1].hibernate_timeout_s, 120u);
    EXPECT_EQ(load.config->rules[0].action, Action::Hibernate);
}

TEST(GoodConfig, IdleSecondsAndMinutesExcludeEachOther) {
    auto load = load_text("[[vm]]\nname = \"a\"\nidle_timeout_min = 5\nidle_timeout_s = 20\n");
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].to_string(),
              "hotseat.toml:4:18: vm \"a\": idle_timeout_s and idle_timeout_min exclude each other");
}

TEST(GoodConfig, EmptyFileGivesTheDefaults) {
    auto load = load_text("");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_TRUE(load.warnings.empty());
    EXPECT_EQ(load.config->supervisor.libvirt_uri, "qemu:///system");
    EXPECT_EQ(load.config->supervisor.control_group, "wheel");
    EXPECT_EQ(load.config->supervisor.debounce_ms, 1500u);
    EXPECT_TRUE(load.config->vms.empty());
    EXPECT_TRUE(load.config->rules.empty());
}

TEST(GoodConfig, VmWithOnlyANameGetsTheDefaults) {
    auto load = load_text("[[vm]]\nname = \"a\"\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    const VmConfig& vm = load.config->vms.at(0);
    EXPECT_TRUE(vm.gpu.empty());
    EXPECT_TRUE(vm.usb.empty());
    EXPECT_EQ(vm.shutdown_timeout_s, 60u);
    EXPECT_EQ(vm.idle_timeout_min, 30u);
    EXPECT_EQ(vm.idle_cpu_percent, 3u);
}

TEST(GoodConfig, RuleDefaultsAndOptionalKeys) {
    auto load = load_text(R"([[vm]]
name = "a"
[[rule]]
name = "stopped"
on = "vm.stopped"
action = "force-stop"
vm = "a"
[[rule]]
name = "any-monitor"
on = "monitor.disconnected"
action = "stop"
vm = "a"
takeover = true
)");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_TRUE(load.warnings.empty());
    const Rule& stopped = load.config->rules.at(0);
    EXPECT_EQ(stopped.on, Trigger::VmStopped);
    EXPECT_EQ(stopped.action, Action::ForceStop);
    EXPECT_FALSE(stopped.takeover);
    const Rule& monitor = load.config->rules.at(1);
    EXPECT_EQ(monitor.connector, "");  // every connector
    EXPECT_TRUE(monitor.takeover);
}

TEST(GoodConfig, HexIdsAndPciAddressesAreNormalisedToLowercase) {
    auto load = load_text(R"([[vm]]
name = "Win.11+x_y-z"
gpu = ["0000:0A:1F.7", "0000:00:02.0"]
usb = [{ vendor = "046D", product = "C52B", serial = "AbC-1" }]
shutdown_timeout_s = 3600
idle_timeout_min = 0
idle_cpu_percent = 100
)");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    const VmConfig& vm = load.config->vms.at(0);
    EXPECT_EQ(vm.name, "Win.11+x_y-z");
    EXPECT_EQ(vm.gpu, (std::vector<std::string>{"0000:0a:1f.7", "0000:00:02.0"}));
    EXPECT_EQ(vm.usb.at(0).vendor, "046d");
    EXPECT_EQ(vm.usb.at(0).product, "c52b");
    EXPECT_EQ(vm.usb.at(0).serial, "AbC-1");  // serials are case-sensitive
    EXPECT_EQ(vm.shutdown_timeout_s, 3600u);
    EXPECT_EQ(vm.idle_timeout_min, 0u);
    EXPECT_EQ(vm.idle_cpu_percent, 100u);
}

TEST(GoodConfig, UsbAsArrayOfTablesAndDottedMatchKeysAreTheSameTables) {
    auto load = load_text(R"([[vm]]
name = "a"
[[vm.usb]]
vendor = "046d"
product = "c52b"
[[rule]]
name = "r"
on = "device.added"
action = "start"
vm = "a"
match.ID_VENDOR_ID = "04?d"
match.ID_SERIAL = "*Logitech*"
)");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->vms.at(0).usb.at(0).product, "c52b");
    EXPECT_EQ(load.config->rules.at(0).match.at("ID_VENDOR_ID"), "04?d");
    EXPECT_EQ(load.config->rules.at(0).match.at("ID_SERIAL"), "*Logitech*");
}

TEST(GoodConfig, SupervisorBoundsAreInclusive) {
    auto load = load_text(
        "[supervisor]\nlibvirt_uri = \"test:///tmp/node.xml\"\n"
        "control_group = \"hotseat-users\"\ndebounce_ms = 600000\n");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->supervisor.libvirt_uri, "test:///tmp/node.xml");
    EXPECT_EQ(load.config->supervisor.control_group, "hotseat-users");
    EXPECT_EQ(load.config->supervisor.debounce_ms, 600000u);
    EXPECT_TRUE(load_text("[supervisor]\ndebounce_ms = 0\n").config.has_value());
}

}  // namespace
}  // namespace hotseat
