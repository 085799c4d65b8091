// The small functions of the config model (hotseat/config.h): lookups, and the names of its enums
// (one table each: the switch in to_string; hotseat/names.h says why a switch).
#include <algorithm>

#include "hotseat/config.h"
#include "hotseat/names.h"

namespace hotseat {

std::string_view to_string(StopMode mode) {
    switch (mode) {
        case StopMode::Shutdown: return "shutdown";
        case StopMode::Hibernate: return "hibernate";
    }
    return kUnknownName;
}

std::optional<StopMode> stop_mode_from_string(std::string_view s) { return from_name<StopMode>(s); }

const VmConfig* Config::find_vm(const std::string& name) const {
    auto it = std::find_if(vms.begin(), vms.end(), [&](const VmConfig& vm) { return vm.name == name; });
    return it == vms.end() ? nullptr : &*it;
}

std::string ConfigError::to_string() const {
    if (line == 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::string_view to_string(Trigger trigger) {
    switch (trigger) {
        case Trigger::MonitorConnected: return "monitor.connected";
        case Trigger::MonitorDisconnected: return "monitor.disconnected";
        case Trigger::DeviceAdded: return "device.added";
        case Trigger::DeviceRemoved: return "device.removed";
        case Trigger::Hotkey: return "hotkey";
        case Trigger::VmIdle: return "vm.idle";
        case Trigger::VmStopped: return "vm.stopped";
    }
    return kUnknownName;
}

std::string_view to_string(Action action) {
    switch (action) {
        case Action::Start: return "start";
        case Action::Stop: return "stop";
        case Action::Toggle: return "toggle";
        case Action::ForceStop: return "force-stop";
        case Action::Hibernate: return "hibernate";
    }
    return kUnknownName;
}

std::string_view to_string(RuleSource source) {
    switch (source) {
        case RuleSource::Any: return "any";
        case RuleSource::Host: return "host";
        case RuleSource::Guest: return "guest";
    }
    return kUnknownName;
}

std::optional<Trigger> trigger_from_string(std::string_view s) { return from_name<Trigger>(s); }
std::optional<Action> action_from_string(std::string_view s) { return from_name<Action>(s); }
std::optional<RuleSource> rule_source_from_string(std::string_view s) { return from_name<RuleSource>(s); }

}  // namespace hotseat
