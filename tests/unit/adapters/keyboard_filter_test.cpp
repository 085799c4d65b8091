// The pure halves of the input adapter: which devices are keyboards, and device names made safe
// for D-Bus and the log.
#include <gtest/gtest.h>

#include "input/device_name.h"
#include "input/keyboard_filter.h"

namespace hotseat::input {
namespace {

TEST(KeyboardFilter, EvdevNodes) {
    EXPECT_TRUE(is_evdev_node("/dev/input/event0"));
    EXPECT_TRUE(is_evdev_node("/dev/input/event123"));
    EXPECT_FALSE(is_evdev_node("/dev/input/event"));
    EXPECT_FALSE(is_evdev_node("/dev/input/event7x"));
    EXPECT_FALSE(is_evdev_node("/dev/input/mouse0"));
    EXPECT_FALSE(is_evdev_node("/dev/input/js0"));
    EXPECT_FALSE(is_evdev_node("/dev/input/by-id/usb-kbd-event-kbd"));
    EXPECT_FALSE(is_evdev_node("/dev/input/event1234567"));
    EXPECT_FALSE(is_evdev_node(""));
}

TEST(KeyboardFilter, OnlyUdevMarkedKeyboardsWithAnEvdevNode) {
    Properties keyboard{{"ID_INPUT", "1"}, {"ID_INPUT_KEY", "1"}, {"ID_INPUT_KEYBOARD", "1"}};
    EXPECT_TRUE(is_keyboard(keyboard, "/dev/input/event3"));
    EXPECT_FALSE(is_keyboard(keyboard, ""));  // the inputN parent
    EXPECT_FALSE(is_keyboard(keyboard, "/dev/input/mouse0"));
    EXPECT_FALSE(is_keyboard({{"ID_INPUT", "1"}, {"ID_INPUT_KEY", "1"}}, "/dev/input/event4"));  // power button
    EXPECT_FALSE(is_keyboard({{"ID_INPUT", "1"}, {"ID_INPUT_MOUSE", "1"}}, "/dev/input/event5"));
    EXPECT_FALSE(is_keyboard({{"ID_INPUT_KEYBOARD", "0"}}, "/dev/input/event6"));
}

TEST(DeviceName, PlainNamesAreKept) {
    EXPECT_EQ(printable_name("AT Translated Set 2 keyboard"), "AT Translated Set 2 keyboard");
    EXPECT_EQ(printable_name("Clavier \xc3\xa9tendu \xe2\x8c\xa8"), "Clavier \xc3\xa9tendu \xe2\x8c\xa8");
}

TEST(DeviceName, InvalidBytesAndControlsBecomeQuestionMarks) {
    EXPECT_EQ(printable_name("a\xff"
                             "b"),
              "a?b");
    EXPECT_EQ(printable_name("tab\there\nnl"), "tab?here?nl");
    EXPECT_EQ(printable_name("\xc0\xaf"), "??");            // overlong '/'
    EXPECT_EQ(printable_name("\xed\xa0\x80"), "???");       // surrogate
    EXPECT_EQ(printable_name("\xf4\x90\x80\x80"), "????");  // above U+10FFFF
    EXPECT_EQ(printable_name("\xe2\x82"), "??");            // cut short
    EXPECT_EQ(printable_name("\xc2\x85"), "?");             // C1 control NEL
}

TEST(DeviceName, EmptyAndLongNames) {
    EXPECT_EQ(printable_name(""), "unnamed");
    std::string long_name(400, 'k');
    EXPECT_EQ(printable_name(long_name).size(), kMaxNameBytes);
    // Never cut inside a character.
    std::string euros;
    for (int i = 0; i < 100; ++i) euros += "\xe2\x82\xac";
    std::string cut = printable_name(euros);
    EXPECT_EQ(cut.size(), 255u);
    EXPECT_EQ(cut.size() % 3, 0u);
}

}  // namespace
}  // namespace hotseat::input
