// One line of text per effect: "libvirt start arch-desktop", "vm arch-desktop running
// reason=\"adopted\"", "guest find-channel arch-desktop". The scenario files
// (tests/unit/engine/README.md) expect effects in these words, and hotseatd logs every effect it
// executes in them at debug level, so a test reading the daemon's log and a scenario name an
// effect the same way. Pure: no I/O.
#pragma once

#include <string>

#include "hotseat/effects.h"

namespace hotseat {

// A Log effect renders as "log: MESSAGE".
std::string effect_text(const Effect& effect);

}  // namespace hotseat
