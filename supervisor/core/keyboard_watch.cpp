#include "core/keyboard_watch.h"

#include <libevdev/libevdev.h>

#include <algorithm>

#include "core/rules.h"

namespace hotseat {

WatchKeyboards keyboard_watch(const Config& config) {
    WatchKeyboards out;
    for (const auto& rule : config.rules) {
        if (rule.on != Trigger::Hotkey) continue;
        KeyboardWatch w{rule.name, rule.match, rule.device, {}};
        for (const auto& name : rule.keys) {
            // A pure table lookup in libevdev; the config loader has checked every name.
            int code = libevdev_event_code_from_name(EV_KEY, name.c_str());
            if (code >= 0) w.keys.push_back(static_cast<std::uint16_t>(code));
        }
        if (!w.keys.empty()) out.watches.push_back(std::move(w));
    }
    return out;
}

std::vector<std::uint16_t> keys_to_read(const WatchKeyboards& watch,
                                        const std::map<std::string, std::string>& properties) {
    std::vector<std::uint16_t> keys;
    for (const auto& w : watch.watches)
        if (keyboard_fits(w.match, w.device, properties)) keys.insert(keys.end(), w.keys.begin(), w.keys.end());
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

std::string describe(const WatchKeyboards& watch) {
    if (watch.watches.empty()) return "none";
    std::string out;
    for (const auto& w : watch.watches) {
        if (!out.empty()) out += "; ";
        out += w.rule + " ";
        for (std::size_t i = 0; i < w.keys.size(); ++i) {
            const char* name = libevdev_event_code_get_name(EV_KEY, w.keys[i]);
            out += (i ? "+" : "") + (name ? std::string(name) : std::to_string(w.keys[i]));
        }
        if (!w.device.empty()) out += " device=" + w.device;
        for (const auto& [key, glob] : w.match) out += " " + key + "=" + glob;
    }
    return out;
}

}  // namespace hotseat
