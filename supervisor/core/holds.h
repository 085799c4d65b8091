// Rules with hold_s (docs/design.md "Debounce and hold_s", hotseat.toml(5)): an observation that matches such
// a rule arms a hold instead of firing it; the rule fires only once its condition has held for hold_s with
// nothing contradicting it (the monitor connected again, the device back, ...). A monitor that
// drops its hotplug line while it sleeps (DPMS) is then not an unplug. Pure data; the Engine
// (engine_holds.cpp) decides.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "hotseat/config.h"

namespace hotseat {

struct Hold {
    std::string rule;
    Trigger trigger = Trigger::MonitorDisconnected;
    std::string card, connector;  // monitor.*
    std::string source;           // monitor.*: empty for the host's connectors, else the guest's VM
    std::string syspath;          // device.*: the device
    std::string what;             // the observation in words, as RuleFired will say it
    std::int64_t armed_ms = 0;
};

// Pending holds by rule and subject ("desk-unplug|host|card0-HDMI-A-1").
struct Holds {
    std::map<std::string, Hold> pending;
};

}  // namespace hotseat
