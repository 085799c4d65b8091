// hotseatd as a process with a hotkey rule: the chord typed on an emulated keyboard (umockdev
// testbed in this process) starts the VM (libvirt's test driver), and the Manager's Keyboards
// property lists what the daemon reads. Private system-like bus with the shipped policy.
#include <linux/input.h>

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <memory>

#include "hotseatd_test.h"

namespace hotseat::test {
namespace {

const std::string kVm = "arch_2ddesktop";  // sd_bus_path_encode("arch-desktop")

std::string config_without_hotkeys() {
    return supervisor_section() +
           "debounce_ms = 200\n"
           "\n"
           "[[vm]]\nname = \"arch-desktop\"\nshutdown_timeout_s = 5\n"
           "\n"
           "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n";
}

std::string config_text() {
    return config_without_hotkeys() +
           "\n"
           "[[rule]]\nname = \"desk-hotkey\"\non = \"hotkey\"\n"
           "keys = [\"KEY_LEFTCTRL\", \"KEY_LEFTALT\", \"KEY_F12\"]\n"
           "action = \"toggle\"\nvm = \"arch-desktop\"\n";
}

class HotkeyDaemon : public HotseatdTest {
protected:
    void SetUp() override { write_config(config_text()); }

    std::string keyboards() { return manager_property(bus_.address(), "Keyboards"); }
    bool state_becomes(const std::string& state) { return HotseatdTest::state_becomes(kVm, state); }
    void chord(int keyboard) {
        for (int key : {KEY_LEFTCTRL, KEY_LEFTALT, KEY_F12}) testbed_.press_key(keyboard, key, 1);
        for (int key : {KEY_F12, KEY_LEFTALT, KEY_LEFTCTRL}) testbed_.press_key(keyboard, key, 0);
    }
};

TEST_F(HotkeyDaemon, ChordOnTheKeyboardStartsTheVm) {
    testbed_.add_keyboard(7, "Logitech USB Receiver", {{"ID_VENDOR_ID", "046d"}, {"ID_MODEL_ID", "c52b"}});
    start_daemon();
    EXPECT_EQ(keyboards(), "1 \"/dev/input/event7\" \"Logitech USB Receiver\"");
    EXPECT_EQ(vm_state(bus_.address(), kVm), "off");

    chord(7);
    ASSERT_TRUE(state_becomes("running"));
    EXPECT_EQ(vm_property(bus_.address(), kVm, "Reason"), "desk-hotkey");
    EXPECT_NE(daemon_->log().find("rule desk-hotkey fired"), std::string::npos);
}

TEST_F(HotkeyDaemon, KeyboardsPropertyFollowsPlugAndUnplug) {
    start_daemon();
    EXPECT_EQ(keyboards(), "0");
    testbed_.add_keyboard(7, "USB Keyboard");
    ASSERT_TRUE(wait_until([&] { return keyboards() == "1 \"/dev/input/event7\" \"USB Keyboard\""; })) << keyboards();
    testbed_.add_mouse(8, "USB Mouse");  // not a keyboard: never listed
    testbed_.add_keyboard(9, "Second Keyboard");
    ASSERT_TRUE(wait_until([&] {
        return keyboards() == "2 \"/dev/input/event7\" \"USB Keyboard\" \"/dev/input/event9\" \"Second Keyboard\"";
    })) << keyboards();

    testbed_.remove_keyboard(7);
    ASSERT_TRUE(wait_until([&] { return keyboards() == "1 \"/dev/input/event9\" \"Second Keyboard\""; }))
        << keyboards();

    // The remaining keyboard still drives the hotkey; a second chord toggles the VM off again.
    chord(9);
    ASSERT_TRUE(state_becomes("running"));
}

}  // namespace
}  // namespace hotseat::test

namespace hotseat::test {
namespace {

// Keyboards are read only while a hotkey rule needs them (issue #19 item 5): without one the
// daemon opens none, lists none, and asks the kernel for nothing; a reload that adds one opens the
// keyboard and asks for the chord's keys alone.
TEST_F(HotkeyDaemon, KeyboardsAreOpenedOnlyWhileAHotkeyRuleExists) {
    write_file(config_, config_without_hotkeys());
    testbed_.add_keyboard(7, "USB Keyboard");
    start_daemon();
    EXPECT_EQ(keyboards(), "0");
    EXPECT_TRUE(testbed_.evdev_masks().empty());

    write_file(config_, config_text());
    ::kill(daemon_->process().pid(), SIGHUP);
    ASSERT_TRUE(wait_until([&] { return keyboards() == "1 \"/dev/input/event7\" \"USB Keyboard\""; })) << keyboards();
    auto masks = testbed_.evdev_masks();
    auto keys = std::find_if(masks.begin(), masks.end(), [](const auto& m) { return m.type == EV_KEY; });
    ASSERT_NE(keys, masks.end());
    EXPECT_EQ(keys->node, "/dev/input/event7");
    EXPECT_EQ(keys->codes(), (std::vector<unsigned>{KEY_LEFTCTRL, KEY_LEFTALT, KEY_F12}));
    chord(7);
    ASSERT_TRUE(state_becomes("running"));

    // And closed again when the rule goes.
    write_file(config_, config_without_hotkeys());
    ::kill(daemon_->process().pid(), SIGHUP);
    ASSERT_TRUE(wait_until([&] { return keyboards() == "0"; })) << keyboards();
}

// `device` names the keyboard by its /dev/input/by-id link, which udev hands over in DEVLINKS.
TEST_F(HotkeyDaemon, DeviceLimitsTheChordToTheNamedKeyboard) {
    write_file(config_, config_text() + "device = \"usb-Logitech_USB_Receiver-*kbd\"\n");
    testbed_.add_keyboard(3, "AT Translated Set 2 keyboard",
                          {{"DEVLINKS", "/dev/input/by-path/platform-i8042-serio-0-event-kbd"}});
    testbed_.add_keyboard(7, "Logitech USB Receiver",
                          {{"DEVLINKS",
                            "/dev/input/by-path/pci-0000:00:14.0-usb-0:1:1.0-event-kbd "
                            "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd"}});
    start_daemon();
    // event3 is not even opened: no hotkey rule may fire on it.
    EXPECT_EQ(keyboards(), "1 \"/dev/input/event7\" \"Logitech USB Receiver\"");
    // Were event3 let through, its chord would fire first (and event7's be debounced): the log
    // tells which keyboard fired.
    chord(3);
    chord(7);
    ASSERT_TRUE(state_becomes("running"));
    EXPECT_EQ(daemon_->log().find("fired on hotkey on /dev/input/event3"), std::string::npos);
    EXPECT_NE(daemon_->log().find("rule desk-hotkey fired on hotkey on /dev/input/event7"), std::string::npos);
}

}  // namespace
}  // namespace hotseat::test
