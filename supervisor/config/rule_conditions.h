// The trigger-specific keys of a [[rule]]: connector (monitor.*), keys (hotkey), match
// (device.*) and source (monitor.*, hotkey). Each is allowed only with its triggers, and
// keys/match are required by theirs.
#pragma once

#include <optional>

#include "config/table_reader.h"
#include "hotseat/config.h"

namespace hotseat::config {

// `on` is nullopt when the trigger itself was missing or invalid (already reported): the values
// are then still checked, but not whether they fit the trigger.
void read_rule_conditions(TableReader& reader, std::optional<Trigger> on, Rule& rule);

// hold_s: monitor and device rules only (a hotkey, vm.idle or vm.stopped has no condition that
// could still hold later).
void read_rule_hold(TableReader& reader, std::optional<Trigger> on, Rule& rule);

}  // namespace hotseat::config
