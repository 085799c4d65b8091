#include "udev/uevent_rules.h"

#include <algorithm>
#include <array>

namespace hotseat::udev {
namespace {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_known_action(std::string_view action) {
    static constexpr std::array<std::string_view, 8> known = {"add",    "remove",  "change", "move",
                                                              "online", "offline", "bind",   "unbind"};
    return std::find(known.begin(), known.end(), action) != known.end();
}

UeventDecision ignore(const char* why) {
    UeventDecision d;
    d.why = why;
    return d;
}

UeventDecision classify_card(std::string_view action, std::string_view sysname, const PropertyLookup& property) {
    if (action != "change") return ignore("DRM card event other than change");
    // Only a hotplug change says a connector may have changed; other card changes (e.g. lease
    // or property updates) must not make us re-read anything.
    if (property("HOTPLUG") != "1") return ignore("DRM card change without HOTPLUG=1");
    UeventDecision d;
    d.step = UeventStep::RereadCard;
    d.card = std::string(sysname);
    return d;
}

UeventDecision classify_connector(std::string_view action, ConnectorName name) {
    UeventDecision d;
    if (action == "add" || action == "change") {
        d.step = UeventStep::RereadConnector;
    } else if (action == "remove") {
        d.step = UeventStep::DropConnector;
    } else {
        return ignore("DRM connector event other than add/change/remove");
    }
    d.card = std::move(name.card);
    d.connector = std::move(name.connector);
    return d;
}

UeventDecision classify_drm(std::string_view action, const PropertyLookup& property) {
    std::string_view sysname = sysname_of(property("DEVPATH"));
    if (is_card_sysname(sysname)) {
        if (property("DEVTYPE") != "drm_minor") return ignore("DRM card without DEVTYPE=drm_minor");
        return classify_card(action, sysname, property);
    }
    if (auto name = parse_connector_sysname(sysname)) return classify_connector(action, std::move(*name));
    return ignore("DRM device that is neither a card nor a connector");
}

UeventDecision classify_usb(std::string_view action, const PropertyLookup& property) {
    // Interfaces come and go with driver binding (our own passthrough unbinds usbhid); only the
    // device itself appearing or vanishing is a plug or an unplug (docs/design.md "Hardware facts" 1).
    if (property("DEVTYPE") != "usb_device") return ignore("USB interface or other non-device");
    UeventDecision d;
    if (action == "add") {
        d.step = UeventStep::UsbAdded;
    } else if (action == "remove") {
        d.step = UeventStep::UsbRemoved;
    } else if (action == "bind") {
        d.step = UeventStep::UsbBound;  // passthrough waits for this: `add` races udev
    } else if (action == "unbind") {
        d.step = UeventStep::UsbUnbound;
    } else {
        return ignore("USB device event other than add/remove/bind/unbind");
    }
    return d;
}

}  // namespace

std::string_view sysname_of(std::string_view devpath) {
    auto slash = devpath.rfind('/');
    return slash == std::string_view::npos ? devpath : devpath.substr(slash + 1);
}

bool is_card_sysname(std::string_view sysname) {
    return sysname.substr(0, 4) == "card" && is_digits(sysname.substr(4));
}

std::optional<ConnectorName> parse_connector_sysname(std::string_view sysname) {
    if (sysname.substr(0, 4) != "card") return std::nullopt;
    auto dash = sysname.find('-');
    if (dash == std::string_view::npos || dash + 1 >= sysname.size()) return std::nullopt;
    std::string_view card = sysname.substr(0, dash);
    if (!is_card_sysname(card)) return std::nullopt;
    return ConnectorName{std::string(card), std::string(sysname.substr(dash + 1))};
}

UeventDecision classify_uevent(const PropertyLookup& property) {
    std::string_view action = property("ACTION");
    if (action.empty()) return ignore("no ACTION");
    if (!is_known_action(action)) return ignore("unknown ACTION");
    std::string_view subsystem = property("SUBSYSTEM");
    if (subsystem == "drm") return classify_drm(action, property);
    if (subsystem == "usb") return classify_usb(action, property);
    // input: keyboards are the input adapter's (input/keyboard_watcher.h); the monitor does not
    // subscribe to them.
    return ignore("subsystem not handled");
}

UeventDecision classify_uevent(const Properties& properties) {
    return classify_uevent([&properties](const char* name) {
        auto it = properties.find(name);
        return it == properties.end() ? std::string_view() : std::string_view(it->second);
    });
}

}  // namespace hotseat::udev
