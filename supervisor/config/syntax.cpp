#include "config/syntax.h"

#include <libevdev/libevdev.h>

#include <algorithm>
#include <cctype>

namespace hotseat::config {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool all_of_chars(std::string_view text, std::string_view extra) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [&](char c) { return is_alnum(c) || extra.find(c) != std::string_view::npos; });
}

bool all_hex(std::string_view text) { return std::all_of(text.begin(), text.end(), is_hex); }

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

bool is_vm_name(std::string_view name) { return all_of_chars(name, "_.+-"); }

bool is_rule_name(std::string_view name) { return all_of_chars(name, "_.-"); }

bool is_group_name(std::string_view name) {
    if (name.empty() || name.size() > 32) return false;
    if (name.back() == '$') name.remove_suffix(1);
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    return all_of_chars(name, "_.-");
}

bool has_uri_scheme(std::string_view uri) {
    auto colon = uri.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    auto scheme = uri.substr(0, colon);
    return std::isalpha(static_cast<unsigned char>(scheme[0])) && all_of_chars(scheme, "+.-");
}

std::optional<std::string> normalise_pci_address(std::string_view address) {
    // DDDD:BB:DD.F -> separators at fixed offsets, hex everywhere else
    if (address.size() != 12 || address[4] != ':' || address[7] != ':' || address[10] != '.') return std::nullopt;
    auto domain = address.substr(0, 4), bus = address.substr(5, 2);
    auto device = address.substr(8, 2), function = address.substr(11, 1);
    if (!all_hex(domain) || !all_hex(bus) || !all_hex(device) || !all_hex(function)) return std::nullopt;
    if (std::stoi(std::string(device), nullptr, 16) > 0x1f) return std::nullopt;
    if (std::stoi(std::string(function), nullptr, 16) > 7) return std::nullopt;
    return lowercase(address);
}

std::optional<std::string> normalise_usb_id(std::string_view id) {
    if (id.size() != 4 || !all_hex(id)) return std::nullopt;
    return lowercase(id);
}

bool is_udev_property_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool is_evdev_key_name(std::string_view name) {
    if (!starts_with(name, "KEY_") && !starts_with(name, "BTN_")) return false;
    if (name == "KEY_RESERVED" || name == "KEY_MAX") return false;
    // The sized variant: the view need not be NUL-terminated.
    return libevdev_event_code_from_name_n(EV_KEY, name.data(), name.size()) >= 0;
}

bool has_control_characters(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

}  // namespace hotseat::config

namespace hotseat::config {

const std::vector<std::string_view>& evdev_key_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> list;
        for (unsigned code = 1; code < KEY_MAX; ++code) {
            const char* name = libevdev_event_code_get_name(EV_KEY, code);
            if (name) list.emplace_back(name);
        }
        return list;
    }();
    return names;
}

}  // namespace hotseat::config
