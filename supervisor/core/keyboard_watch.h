// Which keyboards hotseatd reads, and which keys (docs/robustness.md, "Keyboards"): the pure
// decision behind the WatchKeyboards effect. Only hotkey rules need a keyboard; a keyboard no
// hotkey rule can fire on stays closed, and of the others only the chord keys are asked for.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hotseat/config.h"
#include "hotseat/effects.h"

namespace hotseat {

// One entry per hotkey rule of `config`, with its chord as key codes.
WatchKeyboards keyboard_watch(const Config& config);

// The keys to read on a keyboard with these udev properties: the union of the chords of every
// entry that fits it, sorted, each once. Empty: leave the keyboard closed.
std::vector<std::uint16_t> keys_to_read(const WatchKeyboards& watch,
                                        const std::map<std::string, std::string>& properties);

// "desk-hotkey KEY_LEFTCTRL+KEY_LEFTALT+KEY_F12 device=usb-Logitech* ID_VENDOR_ID=046d; ..."
// or "none": for the log and the scenario tests.
std::string describe(const WatchKeyboards& watch);

}  // namespace hotseat
