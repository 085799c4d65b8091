// Every monitor rule's `connector` against the connectors the host has (/sys/class/drm/
// card<N>-<connector>), matched the way hotseatd matches them (supervisor/core/rules.cpp): a
// glob that matches none can never fire. While a VM holds the GPU its connectors are gone from
// the host, and nothing can be said.
#include <algorithm>

#include "checks.h"
#include "core/rules.h"
#include "gpus.h"
#include "sysfs.h"

namespace hotseat::ctl::doctor {
namespace {

namespace sysfs = hook::sysfs;

struct HostConnector {
    std::string card;       // "card0"
    std::string connector;  // "HDMI-A-1"
    std::string status;     // connected, disconnected, unknown
};

std::vector<HostConnector> host_connectors() {
    std::vector<HostConnector> out;
    for (const auto& entry : sysfs::list("/sys/class/drm")) {
        auto dash = entry.name.find('-');
        if (entry.name.rfind("card", 0) != 0 || dash == std::string::npos) continue;
        std::string error;
        out.push_back({entry.name.substr(0, dash), entry.name.substr(dash + 1),
                       sysfs::read("/sys/class/drm/" + entry.name + "/status", &error).value_or("?")});
    }
    return out;
}

bool monitor_rule(const Rule& rule) {
    return rule.on == Trigger::MonitorConnected || rule.on == Trigger::MonitorDisconnected;
}

Finding finding(const Rule& rule, Severity severity, std::string message, std::string fix = "") {
    return Finding{
        .check = "", .vm = rule.vm, .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

}  // namespace

void check_connectors(DoctorContext& context, Findings& out) {
    if (std::none_of(context.config().rules.begin(), context.config().rules.end(), monitor_rule)) return;
    auto connectors = host_connectors();
    std::vector<std::string> holders;
    for (const auto& gpu : configured_gpus(context))
        if (!gpu.holder.empty()) holders.push_back(gpu.holder);
    std::vector<std::string> names;
    for (const auto& c : connectors) names.push_back(c.connector);
    for (const auto& rule : context.config().rules) {
        if (!monitor_rule(rule)) continue;
        const std::string pattern = rule.connector.empty() ? "*" : rule.connector;
        const std::string what = "rule " + rule.name + ": connector \"" + pattern + "\"";
        if (connectors.empty()) {
            out.push_back(
                finding(rule, Severity::Warning,
                        what + " cannot be checked: the host has no DRM connectors now" +
                            (holders.empty() ? " (see gpu-at-rest)" : " (" + joined(holders) + " holds the GPU)"),
                        holders.empty() ? "bind the GPU to its driver (gpu-at-rest)"
                                        : "run hotseatctl doctor again while no VM runs"));
            continue;
        }
        std::vector<std::string> matched;
        for (const auto& c : connectors) {
            Observation o;
            o.trigger = rule.on;
            o.card = c.card;
            o.connector = c.connector;
            if (rule_matches(rule, o)) matched.push_back(c.card + "-" + c.connector + " (" + c.status + ")");
        }
        if (matched.empty())
            out.push_back(finding(
                rule, Severity::Error,
                what + " matches none of this host's connectors (" + joined(names) + "): the rule can never fire",
                "set connector to one of " + joined(names) + " (ls /sys/class/drm)"));
        else
            out.push_back(finding(rule, Severity::Ok, what + " matches " + joined(matched)));
    }
}

}  // namespace hotseat::ctl::doctor
