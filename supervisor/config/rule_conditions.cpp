#include "config/rule_conditions.h"

#include <algorithm>

#include "config/limits.h"
#include "config/quote.h"
#include "config/suggest.h"
#include "config/syntax.h"
#include "hotseat/names.h"

namespace hotseat::config {
namespace {

bool is_monitor(Trigger t) { return t == Trigger::MonitorConnected || t == Trigger::MonitorDisconnected; }
bool is_device(Trigger t) { return t == Trigger::DeviceAdded || t == Trigger::DeviceRemoved; }
// match is required for device.*, optional for hotkey (the keyboard's udev properties) and for
// vm.stopped (VM, CAUSE, REASON).
bool takes_match(Trigger t) { return is_device(t) || t == Trigger::Hotkey || t == Trigger::VmStopped; }
// Only these triggers have a report a guest could make (docs/guest-channel.md).
bool takes_source(Trigger t) { return is_monitor(t) || t == Trigger::Hotkey; }
constexpr std::string_view kStoppedKeys[] = {"VM", "CAUSE", "REASON"};

// A key present with a trigger it does not belong to.
bool misplaced(TableReader& reader, std::string_view key, std::optional<Trigger> on, bool (*fits)(Trigger),
               std::string_view allowed_with) {
    const toml::node* node = reader.find(key);
    if (!node || !on || fits(*on)) return false;
    reader.error(*node, std::string(key) + " is only allowed with " + std::string(allowed_with) +
                            ", not on = " + quoted(to_string(*on)));
    return true;
}

void read_connector(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    if (misplaced(reader, "connector", on, is_monitor, "on = \"monitor.connected\" or \"monitor.disconnected\""))
        return;
    if (auto connector = reader.string("connector")) rule.connector = *connector;
}

std::optional<std::string> read_key_name(TableReader& reader, const toml::node& node, std::size_t index) {
    std::string what = "keys[" + std::to_string(index) + "]";
    auto name = reader.string_value(node, what);
    if (!name) return std::nullopt;
    if (!is_evdev_key_name(*name)) {
        reader.error(node, what + " " + quoted(*name) + " is not an evdev key name like \"KEY_F12\"" +
                               did_you_mean(*name, evdev_key_names()));
        return std::nullopt;
    }
    return name;
}

void read_keys(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    auto is_hotkey = [](Trigger t) { return t == Trigger::Hotkey; };
    if (misplaced(reader, "keys", on, is_hotkey, "on = \"hotkey\"")) return;
    if (on == Trigger::Hotkey && !reader.find("keys")) {
        reader.error_at_table("on = \"hotkey\" needs keys = [...], e.g. [\"KEY_LEFTCTRL\", \"KEY_F12\"]");
        return;
    }
    const toml::array* list = reader.array("keys");
    if (!list) return;
    if (list->empty() || list->size() > kMaxHotkeyKeys) {
        reader.error(*list, "keys must list 1 to " + std::to_string(kMaxHotkeyKeys) + " keys, got " +
                                std::to_string(list->size()));
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto name = read_key_name(reader, *list->get(i), i);
        if (!name) continue;
        if (std::find(rule.keys.begin(), rule.keys.end(), *name) != rule.keys.end())
            reader.error(*list->get(i), "key " + quoted(*name) + " is listed twice");
        else
            rule.keys.push_back(*name);
    }
}

// `device` names a keyboard by its link in /dev/input/by-id (udev's DEVLINKS): the name, or the
// whole path, which is kept as the name alone so that one form is matched.
void read_device(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    auto is_hotkey = [](Trigger t) { return t == Trigger::Hotkey; };
    if (misplaced(reader, "device", on, is_hotkey, "on = \"hotkey\"")) return;
    auto glob = reader.string("device");
    if (!glob) return;
    constexpr std::string_view kById = "/dev/input/by-id/";
    std::string name = glob->rfind(kById, 0) == 0 ? glob->substr(kById.size()) : *glob;
    if (name.empty() || name.find('/') != std::string::npos) {
        reader.error(*reader.find("device"), "device " + quoted(*glob) +
                                                 " is not a name in /dev/input/by-id (a glob like " +
                                                 "\"usb-Logitech_USB_Receiver-*-kbd\", without other slashes)");
        return;
    }
    rule.device = name;
}

void read_match_entry(TableReader& reader, const toml::key& key, const toml::node& value, std::optional<Trigger> on,
                      Rule& rule) {
    std::string_view property = key.str();
    if (on == Trigger::VmStopped &&
        std::find(std::begin(kStoppedKeys), std::end(kStoppedKeys), property) == std::end(kStoppedKeys)) {
        reader.error(key.source(), "match key " + quoted(property) +
                                       " is not known for on = \"vm.stopped\" (known: VM, CAUSE, REASON)");
        return;
    }
    if (property.size() > kMaxStringBytes || !is_udev_property_name(property)) {
        reader.error(key.source(), "match key " + quoted(property) +
                                       " is not a udev property name (A-Z, 0-9 and _ only, at most " +
                                       std::to_string(kMaxStringBytes) + " bytes)");
        return;
    }
    if (auto glob = reader.string_value(value, "match." + std::string(property)))
        rule.match.emplace(std::string(property), *glob);
}

void read_match(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    if (misplaced(reader, "match", on, takes_match,
                  "on = \"device.added\", \"device.removed\", \"hotkey\" or \"vm.stopped\""))
        return;
    if (on && is_device(*on) && !reader.find("match")) {
        reader.error_at_table("on = " + quoted(to_string(*on)) +
                              " needs match = { ... }, e.g. { ID_VENDOR_ID = \"046d\" }");
        return;
    }
    const toml::table* table = reader.table("match");
    if (!table) return;
    if (table->empty() || table->size() > kMaxMatchProperties) {
        reader.error(*table, "match must name 1 to " + std::to_string(kMaxMatchProperties) + " udev properties, got " +
                                 std::to_string(table->size()));
        return;
    }
    for (auto&& [key, value] : *table) read_match_entry(reader, key, value, on, rule);
}

bool is_monitor_or_device(Trigger t) { return is_monitor(t) || is_device(t); }

// `source`: whose reports may fire the rule, the host's, its VM's guest's, or both (the default).
void read_source(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    if (misplaced(reader, "source", on, takes_source,
                  "on = \"monitor.connected\", \"monitor.disconnected\" or \"hotkey\""))
        return;
    auto text = reader.string("source");
    if (!text) return;
    auto source = rule_source_from_string(*text);
    const toml::node& at = *reader.find("source");
    if (!source) {
        auto names = all_names<RuleSource>();
        std::string list;
        for (auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
        reader.error(at,
                     "source " + quoted(*text) + " is not a source (one of " + list + ")" + did_you_mean(*text, names));
        return;
    }
    rule.source = *source;
    // `device` and `match` name the host's keyboards (udev properties): the guest's keyboards have
    // none, so such a rule is never offered to the guest helper (docs/guest-channel.md).
    if (on == Trigger::Hotkey && *source == RuleSource::Guest && (!rule.device.empty() || !rule.match.empty()))
        reader.warning(at,
                       "source = \"guest\" on a hotkey rule with device or match never fires: those name "
                       "the host's keyboards, and the guest's have no host udev properties");
}

}  // namespace

void read_rule_hold(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    if (misplaced(reader, "hold_s", on, is_monitor_or_device,
                  "on = \"monitor.connected\", \"monitor.disconnected\", \"device.added\" or \"device.removed\""))
        return;
    if (auto value = reader.integer("hold_s", 0, kMaxHoldSeconds)) rule.hold_s = static_cast<std::uint32_t>(*value);
}

void read_rule_conditions(TableReader& reader, std::optional<Trigger> on, Rule& rule) {
    read_device(reader, on, rule);
    read_connector(reader, on, rule);
    read_keys(reader, on, rule);
    read_match(reader, on, rule);
    read_source(reader, on, rule);
}

}  // namespace hotseat::config
