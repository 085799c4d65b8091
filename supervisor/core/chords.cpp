#include "core/chords.h"

#include <libevdev/libevdev.h>

#include <algorithm>

namespace hotseat {

void ChordTracker::set_rules(const std::vector<Rule>& rules) {
    chords_.clear();
    held_.clear();
    for (const auto& rule : rules) {
        if (rule.on != Trigger::Hotkey) continue;
        std::vector<std::uint16_t> codes;
        for (const auto& name : rule.keys) {
            // A pure table lookup in libevdev (no device involved).
            int code = libevdev_event_code_from_name(EV_KEY, name.c_str());
            if (code >= 0) codes.push_back(static_cast<std::uint16_t>(code));
        }
        if (!codes.empty()) chords_[rule.name] = std::move(codes);
    }
}

std::vector<std::string> ChordTracker::on_key(const std::string& node, std::uint16_t code, std::int32_t value) {
    auto& held = held_[node];
    if (value == 0) {
        held.erase(code);
        return {};
    }
    if (value != 1) return {};                 // autorepeat
    if (!held.insert(code).second) return {};  // a press we already saw (no release in between)
    std::vector<std::string> completed;
    for (const auto& [rule, codes] : chords_) {
        bool is_member = std::find(codes.begin(), codes.end(), code) != codes.end();
        bool all_held = std::all_of(codes.begin(), codes.end(), [&](auto c) { return held.count(c) > 0; });
        if (is_member && all_held) completed.push_back(rule);
    }
    return completed;
}

}  // namespace hotseat
