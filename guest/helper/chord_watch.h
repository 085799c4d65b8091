// Hotkeys from inside the desk (#18, docs/guest-channel.md): the chords the host named in its
// hello (HostHello::hotkeys), watched on the guest's keyboards. Same rule as the host's own
// hotkeys: a chord goes down when its last key is pressed while the others are held on the SAME
// keyboard; autorepeat never counts; a release (or the keyboard going away) resets. Keys that are
// part of no chord are never remembered, let alone sent.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hotseat::guest {

class ChordWatch {
public:
    // Replaces the chords; returns the key names libevdev does not know (their chords are dropped).
    std::vector<std::string> set_chords(const std::vector<std::vector<std::string>>& chords);
    bool empty() const { return chords_.empty(); }

    // One EV_KEY event on one keyboard; the chords (as the host named them) this press completed.
    std::vector<std::vector<std::string>> on_key(int keyboard, std::uint16_t code, std::int32_t value);
    void forget(int keyboard) { held_.erase(keyboard); }

private:
    struct Chord {
        std::vector<std::string> names;
        std::vector<std::uint16_t> codes;
    };
    std::vector<Chord> chords_;
    std::set<std::uint16_t> watched_;              // every key of every chord
    std::map<int, std::set<std::uint16_t>> held_;  // keyboard -> watched keys down
};

}  // namespace hotseat::guest
