// Reads what the udev adapter needs from sysfs and the udev database, always through libudev so
// that umockdev can stand in for /sys. DRM attributes are read from a freshly created device
// every time: libudev caches sysattr values per device object, and a stale `status` would turn
// a plug into nothing.
#pragma once

#include <libudev.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "udev/uevent_rules.h"

namespace hotseat::udev {

struct CollectedProperties {
    Properties properties;
    std::size_t dropped = 0;  // left out by the limits in property_limits.h
};

// A DRM connector's `status` attribute. The kernel writes "connected", "disconnected" or
// "unknown" (registered, not probed yet: hotseatd(8)); anything else it may write one day is not
// known either.
enum class ConnectorState { Disconnected, Connected, Unknown };

struct ConnectorReading {
    std::string syspath;
    std::string card;       // "card0"
    std::string connector;  // "HDMI-A-1"
    ConnectorState state = ConnectorState::Disconnected;
};

struct UsbDeviceReading {
    std::string syspath;
    CollectedProperties properties;
};

CollectedProperties read_properties(udev_device* device);
// Only the properties named in `names` (all of them when it is empty or longer than
// kMaxProperties): a lookup each, where the full list costs libudev a copy of every property
// (docs/design.md, "What the udev adapter reads").
CollectedProperties read_properties(udev_device* device, const std::vector<std::string>& names);

// One property without copying any: empty when absent or over kMaxPropertyBytes (a value
// read_properties would leave out too).
std::string_view read_property(udev_device* device, const char* name);
// The same for what classify_uevent reads of every uevent: ACTION, SUBSYSTEM, DEVTYPE and DEVPATH
// come from the fields libudev parsed them into (a pointer each), anything else from the
// properties (a hash lookup, about 650 instructions).
std::string_view read_uevent_property(udev_device* device, const char* name);

// The connector's `status` attribute; nothing when the device or the attribute is gone (it may
// vanish between a uevent and the read).
std::optional<ConnectorState> read_connector_state(struct udev* udev, const std::string& syspath);

// Every DRM connector below `card` (a card device), or of every card when `card` is null.
// Connectors whose status cannot be read are left out. Throws std::system_error when the scan
// itself fails.
std::vector<ConnectorReading> read_connectors(struct udev* udev, udev_device* card);

// Every initialised USB device (DEVTYPE=usb_device, not interfaces), with the properties named in
// `names` (all when empty). Throws std::system_error when the scan fails.
std::vector<UsbDeviceReading> read_usb_devices(struct udev* udev, const std::vector<std::string>& names);

}  // namespace hotseat::udev
