#include "input/keyboard_scan.h"

#include <cerrno>
#include <system_error>

#include "udev/device_reader.h"
#include "udev/udev_ptr.h"
#include "util/handles.h"

namespace hotseat::input {
namespace {

const char* or_empty(const char* s) { return s ? s : ""; }

using util::check;

}  // namespace

InputDevice describe(udev_device* device) {
    udev::CollectedProperties collected = udev::read_properties(device);
    InputDevice out;
    out.action = or_empty(udev_device_get_action(device));
    out.syspath = or_empty(udev_device_get_syspath(device));
    out.devnode = or_empty(udev_device_get_devnode(device));
    out.properties = std::move(collected.properties);
    out.dropped = collected.dropped;
    return out;
}

std::vector<InputDevice> scan_keyboards(struct udev* udev) {
    errno = 0;
    udev::EnumeratePtr enumerate(udev_enumerate_new(udev));
    if (!enumerate) throw std::system_error(errno ? errno : ENOMEM, std::generic_category(), "udev_enumerate_new");
    check(udev_enumerate_add_match_subsystem(enumerate.get(), "input"), "udev_enumerate_add_match_subsystem");
    check(udev_enumerate_add_match_property(enumerate.get(), "ID_INPUT_KEYBOARD", "1"),
          "udev_enumerate_add_match_property");
    check(udev_enumerate_scan_devices(enumerate.get()), "udev_enumerate_scan_devices");
    std::vector<InputDevice> devices;
    udev_list_entry* entry;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(enumerate.get())) {
        udev::DevicePtr device(udev_device_new_from_syspath(udev, udev_list_entry_get_name(entry)));
        if (!device) continue;  // gone between the scan and now: its `remove` follows
        InputDevice described = describe(device.get());
        if (described.keyboard()) devices.push_back(std::move(described));
    }
    return devices;
}

}  // namespace hotseat::input
