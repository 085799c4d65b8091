#include "helper/chord_watch.h"

#include <libevdev/libevdev.h>

#include <algorithm>

namespace hotseat::guest {

std::vector<std::string> ChordWatch::set_chords(const std::vector<std::vector<std::string>>& chords) {
    chords_.clear();
    watched_.clear();
    held_.clear();
    std::vector<std::string> unknown;
    for (const auto& names : chords) {
        Chord chord{names, {}};
        for (const auto& name : names) {
            // A pure table lookup in libevdev (no device involved), as the host does.
            int code = libevdev_event_code_from_name(EV_KEY, name.c_str());
            if (code < 0)
                unknown.push_back(name);
            else
                chord.codes.push_back(static_cast<std::uint16_t>(code));
        }
        if (chord.codes.size() != names.size() || chord.codes.empty()) continue;
        watched_.insert(chord.codes.begin(), chord.codes.end());
        chords_.push_back(std::move(chord));
    }
    return unknown;
}

std::vector<std::vector<std::string>> ChordWatch::on_key(int keyboard, std::uint16_t code, std::int32_t value) {
    if (!watched_.count(code)) return {};
    auto& held = held_[keyboard];
    if (value == 0) {
        held.erase(code);
        return {};
    }
    if (value != 1 || !held.insert(code).second) return {};  // autorepeat, or a press already seen
    std::vector<std::vector<std::string>> completed;
    for (const auto& chord : chords_) {
        bool is_member = std::find(chord.codes.begin(), chord.codes.end(), code) != chord.codes.end();
        bool all_held = std::all_of(chord.codes.begin(), chord.codes.end(), [&](auto c) { return held.count(c) > 0; });
        if (is_member && all_held) completed.push_back(chord.names);
    }
    return completed;
}

}  // namespace hotseat::guest
