// The pure half of the udev adapter: which uevents matter and what the monitor does about them
// (docs/design.md "Hardware facts" 1). No sockets, no sysfs: a fuzzer or a unit test feeds property
// maps straight in.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hotseat::udev {

using Properties = std::map<std::string, std::string>;

enum class UeventStep {
    Ignore,           // not something hotseat acts on
    RereadCard,       // HOTPLUG=1 `change` on a DRM card: re-read every connector of that card
    RereadConnector,  // a connector appeared or changed: re-read its `status`
    DropConnector,    // a connector's device went away (driver unbind): never an unplug
    UsbAdded,         // the USB device itself (DEVTYPE=usb_device) appeared
    UsbRemoved,       // ... or went away
    UsbBound,         // its driver bound (`bind`): now it is ready to be passed through
    UsbUnbound,       // its driver let go (`unbind`)
};

struct UeventDecision {
    UeventStep step = UeventStep::Ignore;
    std::string card;       // "card0" for the DRM steps
    std::string connector;  // "HDMI-A-1" for the connector steps
    const char* why = "";   // for Ignore: the reason, for the debug log
};

// One property of the uevent being classified; empty when it is absent.
using PropertyLookup = std::function<std::string_view(const char* name)>;

// Decides from the uevent's properties alone (ACTION, SUBSYSTEM, DEVTYPE, DEVPATH, HOTPLUG). The
// lookup form lets the monitor decide before copying any property: most uevents of a storm are
// ignored, and copying them all first halved the drain rate.
UeventDecision classify_uevent(const PropertyLookup& property);
UeventDecision classify_uevent(const Properties& properties);

struct ConnectorName {
    std::string card;       // "card0"
    std::string connector;  // "HDMI-A-1"
};

// "card0-HDMI-A-1" → {card0, HDMI-A-1}; nothing for cards, render nodes and anything else.
std::optional<ConnectorName> parse_connector_sysname(std::string_view sysname);

// "card0", "card12": a DRM card (primary node), not "renderD128" nor "card0-DP-1".
bool is_card_sysname(std::string_view sysname);

// The last component of a DEVPATH or syspath.
std::string_view sysname_of(std::string_view devpath);

}  // namespace hotseat::udev
