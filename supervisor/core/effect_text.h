// One line of text per effect: "libvirt start arch-desktop", "vm arch-desktop running
// reason=\"adopted\"", "guest find-channel arch-desktop". The scenario files
// (tests/unit/engine/README.md) expect effects in these words, and hotseatd logs every effect it
// executes in them at debug level, so a test reading the daemon's log and a scenario name an
// effect the same way. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotseat/effects.h"

namespace hotseat {

// How a wall-clock time (µs since the epoch, as in PendingStop) is written: hotseatd writes the
// number (nullptr), the scenario runner the script time it stands for.
using WallTimeText = std::string (*)(std::uint64_t wall_us);

// A Log effect renders as "log: MESSAGE".
std::string effect_text(const Effect& effect, WallTimeText wall_time = nullptr);

// "0000:00:02.0=i915@arch-desktop,0000:00:02.1=none", "(none)" for no device.
std::string gpus_text(const std::vector<GpuStatus>& gpus);

// A hotkey chord as scenarios, the log and RuleFired write it: "KEY_LEFTMETA+KEY_F12".
std::string chord_text(const std::vector<std::string>& keys);

}  // namespace hotseat
