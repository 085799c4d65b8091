#include "core/rules.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <string_view>

namespace hotseat {
namespace {

std::string property(const Observation& o, const std::string& key) {
    if (!o.properties) return {};
    auto it = o.properties->find(key);
    return it == o.properties->end() ? std::string() : it->second;
}

bool connector_matches(const Rule& rule, const Observation& o) {
    if (rule.connector.empty()) return true;
    // Rules name the connector as the kernel does after the card prefix ("HDMI-A-1"); the full
    // sysfs name ("card0-HDMI-A-1") is accepted too, for machines with several cards.
    return glob_match(rule.connector, o.connector) || glob_match(rule.connector, o.card + "-" + o.connector);
}

bool rule_properties_match(const Rule& rule, const Observation& o) {
    return o.properties && hotseat::properties_match(rule.match, *o.properties);
}

}  // namespace

std::vector<std::string> usb_properties_read(const std::vector<Rule>& rules) {
    std::set<std::string> names{"BUSNUM",      "DEVNUM",          "DEVPATH",      "DEVTYPE", "DRIVER",
                                "ID_MODEL_ID", "ID_SERIAL_SHORT", "ID_VENDOR_ID", "PRODUCT", "SUBSYSTEM"};
    for (const auto& rule : rules)
        for (const auto& [name, glob] : rule.match) names.insert(name);
    return {names.begin(), names.end()};
}

bool properties_match(const std::map<std::string, std::string>& match,
                      const std::map<std::string, std::string>& properties) {
    for (const auto& [key, pattern] : match) {
        auto it = properties.find(key);
        if (it == properties.end() || !glob_match(pattern, it->second)) return false;
    }
    return true;
}

// udev's DEVLINKS lists a device's symlinks, space-separated; a hotkey rule's `device` names the
// keyboard by the one in /dev/input/by-id.
bool keyboard_device_matches(const std::string& device, const std::map<std::string, std::string>& properties) {
    if (device.empty()) return true;
    constexpr std::string_view kById = "/dev/input/by-id/";
    auto found = properties.find("DEVLINKS");
    if (found == properties.end()) return false;
    const std::string& links = found->second;
    std::size_t at = 0;
    while (at < links.size()) {
        std::size_t end = links.find(' ', at);
        if (end == std::string::npos) end = links.size();
        std::string_view link(links.data() + at, end - at);
        if (link.substr(0, kById.size()) == kById && glob_match(device, std::string(link.substr(kById.size()))))
            return true;
        at = end + 1;
    }
    return false;
}

bool keyboard_fits(const std::map<std::string, std::string>& match, const std::string& device,
                   const std::map<std::string, std::string>& properties) {
    return properties_match(match, properties) && keyboard_device_matches(device, properties);
}

namespace {

bool device_matches(const Rule& rule, const Observation& o) {
    return o.properties ? keyboard_device_matches(rule.device, *o.properties) : rule.device.empty();
}

// Whose report may fire the rule (hotseat.toml(5) `source`). The guest is untrusted: its reports act on its
// own VM alone, whatever the rule's source says. The source says whether the rule listens to
// the host, to its VM's guest, or to both.
bool source_allows(const Rule& rule, const Observation& o) {
    if (o.guest.empty()) return rule.source != RuleSource::Guest;
    return rule.vm == o.guest && rule.source != RuleSource::Host;
}

std::string describe_trigger(const Observation& o) {
    std::string what(to_string(o.trigger));
    switch (o.trigger) {
        case Trigger::MonitorConnected:
        case Trigger::MonitorDisconnected: return what + " " + o.connector;
        case Trigger::VmIdle: return what + " " + o.subject;
        case Trigger::DeviceAdded:
        case Trigger::DeviceRemoved: {
            auto vendor = property(o, "ID_VENDOR_ID"), model = property(o, "ID_MODEL_ID");
            if (!vendor.empty() || !model.empty()) return what + " " + vendor + ":" + model;
            auto path = property(o, "DEVPATH");
            return path.empty() ? what : what + " " + path;
        }
        case Trigger::Hotkey:  // a host keyboard's node, or the chord a guest reported
            return o.guest.empty() ? what + " on " + o.subject : what + " " + o.subject;
        case Trigger::VmStopped: return what + " " + o.subject + " (" + property(o, "CAUSE") + ")";
    }
    return what;  // no `default:`: -Wswitch names a new trigger missing above
}

}  // namespace

// RuleFired's event text says when a guest reported it: "monitor.connected HDMI-A-1 (guest vm)".
std::string Observation::describe() const {
    std::string what = describe_trigger(*this);
    return guest.empty() ? what : what + " (guest " + guest + ")";
}

bool glob_match(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), FNM_NOESCAPE) == 0;
}

bool guest_may_fire(const Rule& rule, const std::string& vm) {
    return rule.on == Trigger::Hotkey && rule.vm == vm && rule.source != RuleSource::Host && rule.device.empty() &&
           rule.match.empty() && !rule.keys.empty();
}

std::vector<std::vector<std::string>> guest_hotkeys(const std::vector<Rule>& rules, const std::string& vm,
                                                    std::size_t max_chords) {
    std::vector<std::vector<std::string>> out;
    for (const auto& rule : rules)
        if (guest_may_fire(rule, vm) && std::find(out.begin(), out.end(), rule.keys) == out.end() &&
            out.size() < max_chords)
            out.push_back(rule.keys);
    return out;
}

bool rule_matches(const Rule& rule, const Observation& o) {
    if (rule.on != o.trigger || !source_allows(rule, o)) return false;
    switch (o.trigger) {
        case Trigger::MonitorConnected:
        case Trigger::MonitorDisconnected: return connector_matches(rule, o);
        case Trigger::DeviceAdded:
        case Trigger::DeviceRemoved: return rule_properties_match(rule, o);
        case Trigger::Hotkey:
            // `match` on a hotkey rule limits it to keyboards with those udev properties.
            if (!o.chords || std::find(o.chords->begin(), o.chords->end(), rule.name) == o.chords->end()) return false;
            return (rule.match.empty() || rule_properties_match(rule, o)) && device_matches(rule, o);
        case Trigger::VmStopped: return rule.match.empty() || rule_properties_match(rule, o);
        case Trigger::VmIdle: return rule.vm == o.subject;  // a vm.idle rule watches its own VM
    }
    return false;  // no `default:`: -Wswitch names a new trigger missing above
}

}  // namespace hotseat
