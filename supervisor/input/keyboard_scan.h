// What the input adapter reads from udev, always through libudev (so that umockdev can stand in
// for /sys and the uevent socket).
#pragma once

#include <libudev.h>

#include <cstddef>
#include <string>
#include <vector>

#include "input/keyboard_filter.h"

namespace hotseat::input {

// An input device as udev describes it: from a uevent or from the start-up scan.
struct InputDevice {
    std::string action;  // "add", "change", "remove" ...; empty for a scanned device
    std::string syspath;
    std::string devnode;  // empty when the device has none (the inputN parents)
    Properties properties;
    std::size_t dropped = 0;  // properties left out by the udev adapter's limits (property_limits.h)

    bool keyboard() const { return is_keyboard(properties, devnode); }
};

InputDevice describe(udev_device* device);

// Every input device udevd has marked ID_INPUT_KEYBOARD=1. The property only exists once udevd's
// input_id builtin ran for the device, so this is the set of keyboards udevd has finished with;
// those still in processing arrive later as an `add` from udevd. (libudev's own "initialised"
// test reads udevd's database in /run/udev/data, which umockdev does not emulate, so it is not
// used.) Throws std::system_error when the scan itself fails.
std::vector<InputDevice> scan_keyboards(struct udev* udev);

}  // namespace hotseat::input
