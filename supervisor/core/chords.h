// Hotkey chords (hotseat.toml(5) `keys`): which keys are held on which keyboard, and whether a press
// completes a rule's chord. A chord fires once, when its last key goes down while the others are
// held on the SAME keyboard; autorepeat never fires; a release (or the keyboard going away) resets.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hotseat/config.h"

namespace hotseat {

class ChordTracker {
public:
    // Rules are read once per config: key names → codes (validated by the config loader). Held
    // keys are forgotten: a new config may change which keys the kernel lets through
    // (WatchKeyboards), so a release might never be seen; a chord is pressed anew after a reload.
    void set_rules(const std::vector<Rule>& rules);

    // Records the key; returns the names of hotkey rules whose chord this press completed.
    std::vector<std::string> on_key(const std::string& node, std::uint16_t code, std::int32_t value);
    void forget(const std::string& node) { held_.erase(node); }

private:
    std::map<std::string, std::vector<std::uint16_t>> chords_;  // rule name -> key codes
    std::map<std::string, std::set<std::uint16_t>> held_;       // keyboard node -> keys down
};

}  // namespace hotseat
