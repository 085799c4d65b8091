// The small functions of the config model (hotseat/config.h): lookups and names.
#include <algorithm>

#include "hotseat/config.h"

namespace hotseat {
namespace {

struct TriggerName {
    Trigger trigger;
    std::string_view name;
};
constexpr TriggerName kTriggerNames[] = {
    {Trigger::MonitorConnected, "monitor.connected"},
    {Trigger::MonitorDisconnected, "monitor.disconnected"},
    {Trigger::DeviceAdded, "device.added"},
    {Trigger::DeviceRemoved, "device.removed"},
    {Trigger::Hotkey, "hotkey"},
    {Trigger::VmIdle, "vm.idle"},
    {Trigger::VmStopped, "vm.stopped"},
};

struct ActionName {
    Action action;
    std::string_view name;
};
constexpr ActionName kActionNames[] = {
    {Action::Start, "start"},
    {Action::Stop, "stop"},
    {Action::Toggle, "toggle"},
    {Action::ForceStop, "force-stop"},
    {Action::Hibernate, "hibernate"},
};

struct SourceName {
    RuleSource source;
    std::string_view name;
};
constexpr SourceName kSourceNames[] = {
    {RuleSource::Host, "host"},
    {RuleSource::Guest, "guest"},
    {RuleSource::Any, "any"},
};

}  // namespace

std::string_view to_string(StopMode mode) { return mode == StopMode::Hibernate ? "hibernate" : "shutdown"; }

std::optional<StopMode> stop_mode_from_string(std::string_view s) {
    if (s == "shutdown") return StopMode::Shutdown;
    if (s == "hibernate") return StopMode::Hibernate;
    return std::nullopt;
}

const VmConfig* Config::find_vm(const std::string& name) const {
    auto it =
        std::find_if(vms.begin(), vms.end(), [&](const VmConfig& vm) { return vm.name == name; });
    return it == vms.end() ? nullptr : &*it;
}

std::string ConfigError::to_string() const {
    if (line == 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::string_view to_string(Trigger trigger) {
    for (const auto& entry : kTriggerNames)
        if (entry.trigger == trigger) return entry.name;
    return "unknown";
}

std::string_view to_string(Action action) {
    for (const auto& entry : kActionNames)
        if (entry.action == action) return entry.name;
    return "unknown";
}

std::optional<Trigger> trigger_from_string(std::string_view s) {
    for (const auto& entry : kTriggerNames)
        if (entry.name == s) return entry.trigger;
    return std::nullopt;
}

std::optional<Action> action_from_string(std::string_view s) {
    for (const auto& entry : kActionNames)
        if (entry.name == s) return entry.action;
    return std::nullopt;
}

std::string_view to_string(RuleSource source) {
    for (const auto& entry : kSourceNames)
        if (entry.source == source) return entry.name;
    return "unknown";
}

std::optional<RuleSource> rule_source_from_string(std::string_view s) {
    for (const auto& entry : kSourceNames)
        if (entry.name == s) return entry.source;
    return std::nullopt;
}

}  // namespace hotseat
