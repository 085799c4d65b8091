#include "udev/device_reader.h"

#include <cerrno>
#include <cstring>
#include <system_error>

#include "udev/property_limits.h"
#include "udev/udev_ptr.h"
#include "util/handles.h"

namespace hotseat::udev {
namespace {

using util::check;

EnumeratePtr new_enumerate(struct udev* udev) {
    EnumeratePtr enumerate(udev_enumerate_new(udev));
    if (!enumerate) throw std::system_error(errno ? errno : ENOMEM, std::generic_category(), "udev_enumerate_new");
    return enumerate;
}

std::vector<std::string> scan_syspaths(udev_enumerate* enumerate) {
    check(udev_enumerate_scan_devices(enumerate), "udev_enumerate_scan_devices");
    std::vector<std::string> syspaths;
    udev_list_entry* entry;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(enumerate)) {
        syspaths.emplace_back(udev_list_entry_get_name(entry));
    }
    return syspaths;
}

std::optional<ConnectorReading> read_connector(struct udev* udev, const std::string& syspath) {
    auto name = parse_connector_sysname(sysname_of(syspath));
    if (!name) return std::nullopt;
    auto state = read_connector_state(udev, syspath);
    if (!state) return std::nullopt;
    return ConnectorReading{syspath, std::move(name->card), std::move(name->connector), *state};
}

// A value as read_properties would keep it: empty when absent or over kMaxPropertyBytes.
std::string_view bounded(const char* value) {
    return value && fits_property_limit(value) ? std::string_view(value) : std::string_view();
}

CollectedProperties collected(PropertyCollector& collector) {
    CollectedProperties out;
    out.dropped = collector.dropped();
    out.properties = collector.take();
    return out;
}

}  // namespace

CollectedProperties read_properties(udev_device* device) {
    PropertyCollector collector;
    udev_list_entry* entry;
    udev_list_entry_foreach(entry, udev_device_get_properties_list_entry(device)) {
        const char* value = udev_list_entry_get_value(entry);
        collector.add(udev_list_entry_get_name(entry), value ? value : "");
    }
    return collected(collector);
}

CollectedProperties read_properties(udev_device* device, const std::vector<std::string>& names) {
    // More names than a uevent may carry properties (a config naming thousands in its rules):
    // one lookup each would cost more than libudev's list, which is bounded by kMaxProperties.
    if (names.empty() || names.size() > kMaxProperties) return read_properties(device);
    PropertyCollector collector;
    for (const auto& name : names) {
        if (const char* value = udev_device_get_property_value(device, name.c_str())) collector.add(name, value);
    }
    return collected(collector);
}

std::string_view read_property(udev_device* device, const char* name) {
    return bounded(udev_device_get_property_value(device, name));
}

std::string_view read_uevent_property(udev_device* device, const char* name) {
    // libudev fills these fields from the uevent's own properties of the same names, and refuses
    // a uevent without ACTION, SUBSYSTEM or DEVPATH: the values are the ones a lookup returns.
    if (std::strcmp(name, "ACTION") == 0) return bounded(udev_device_get_action(device));
    if (std::strcmp(name, "SUBSYSTEM") == 0) return bounded(udev_device_get_subsystem(device));
    if (std::strcmp(name, "DEVTYPE") == 0) return bounded(udev_device_get_devtype(device));
    if (std::strcmp(name, "DEVPATH") == 0) return bounded(udev_device_get_devpath(device));
    return read_property(device, name);
}

std::optional<ConnectorState> read_connector_state(struct udev* udev, const std::string& syspath) {
    DevicePtr fresh(udev_device_new_from_syspath(udev, syspath.c_str()));
    if (!fresh) return std::nullopt;
    const char* status = udev_device_get_sysattr_value(fresh.get(), "status");
    if (!status) return std::nullopt;
    std::string_view text(status);
    if (text == "connected") return ConnectorState::Connected;
    if (text == "disconnected") return ConnectorState::Disconnected;
    return ConnectorState::Unknown;  // "unknown" was once read as disconnected: issue #15
}

std::vector<ConnectorReading> read_connectors(struct udev* udev, udev_device* card) {
    auto enumerate = new_enumerate(udev);
    check(udev_enumerate_add_match_subsystem(enumerate.get(), "drm"), "udev_enumerate_add_match_subsystem");
    if (card) check(udev_enumerate_add_match_parent(enumerate.get(), card), "udev_enumerate_add_match_parent");
    // Connectors have no device node, so libudev always counts them as initialised; the match
    // only keeps this scan in line with the others.
    check(udev_enumerate_add_match_is_initialized(enumerate.get()), "udev_enumerate_add_match_is_initialized");
    std::vector<ConnectorReading> connectors;
    for (const auto& syspath : scan_syspaths(enumerate.get())) {
        if (auto reading = read_connector(udev, syspath)) connectors.push_back(std::move(*reading));
    }
    return connectors;
}

std::vector<UsbDeviceReading> read_usb_devices(struct udev* udev, const std::vector<std::string>& names) {
    auto enumerate = new_enumerate(udev);
    check(udev_enumerate_add_match_subsystem(enumerate.get(), "usb"), "udev_enumerate_add_match_subsystem");
    check(udev_enumerate_add_match_property(enumerate.get(), "DEVTYPE", "usb_device"),
          "udev_enumerate_add_match_property");
    // Devices udevd has not finished with yet arrive later as an `add` from udevd.
    check(udev_enumerate_add_match_is_initialized(enumerate.get()), "udev_enumerate_add_match_is_initialized");
    std::vector<UsbDeviceReading> devices;
    for (const auto& syspath : scan_syspaths(enumerate.get())) {
        DevicePtr device(udev_device_new_from_syspath(udev, syspath.c_str()));
        if (!device) continue;  // gone between the scan and now: its `remove` follows
        devices.push_back(UsbDeviceReading{syspath, read_properties(device.get(), names)});
    }
    return devices;
}

}  // namespace hotseat::udev
