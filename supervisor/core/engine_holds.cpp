// Rules with hold_s (core/holds.h): arming, cancelling on a contradicting observation, firing
// once the hold has passed with the condition still true, and what a reload keeps.
#include <algorithm>

#include "core/connectors.h"
#include "core/effects_util.h"
#include "core/guest_sessions.h"
#include "core/holds.h"
#include "core/rules.h"
#include "hotseat/engine.h"

namespace hotseat {

using fx::append;
using fx::debug;
using fx::info;

namespace {

bool is_monitor(Trigger t) { return t == Trigger::MonitorConnected || t == Trigger::MonitorDisconnected; }

std::string seconds_text(std::int64_t ms) {
    std::string text = std::to_string(ms / 1000);
    if (ms % 1000) text += "." + std::to_string(ms % 1000 / 100);
    return text + " s";
}

// What a hold watches: one connector as the host or one guest sees it, or one device.
std::string subject_key(const Observation& o) {
    if (is_monitor(o.trigger))
        return (o.guest.empty() ? "host" : "guest " + o.guest) + "|" + o.card + "-" + o.connector;
    return o.syspath;
}

const Rule* rule_named(const Config& config, const std::string& name) {
    for (const auto& rule : config.rules)
        if (rule.name == name) return &rule;
    return nullptr;
}

// Whether `o` says the held condition is no longer true.
bool contradicts(const Hold& hold, const Rule* rule, const Observation& o) {
    switch (hold.trigger) {
        case Trigger::MonitorDisconnected:
        case Trigger::MonitorConnected: {
            Trigger opposite = hold.trigger == Trigger::MonitorConnected ? Trigger::MonitorDisconnected
                                                                         : Trigger::MonitorConnected;
            return o.trigger == opposite && o.card == hold.card && o.connector == hold.connector &&
                   o.guest == hold.source;
        }
        case Trigger::DeviceAdded:  // that very device went away again
            return o.trigger == Trigger::DeviceRemoved && o.syspath == hold.syspath;
        case Trigger::DeviceRemoved: {  // a device the rule matches is back: not absent any more
            if (o.trigger != Trigger::DeviceAdded || !rule) return false;
            Rule probe = *rule;
            probe.on = Trigger::DeviceAdded;
            return rule_matches(probe, o);
        }
        case Trigger::Hotkey:  // hold_s is refused on these (config/rule_conditions.cpp)
        case Trigger::VmIdle:
        case Trigger::VmStopped: return false;
    }
    return false;  // no `default:`: -Wswitch names a new trigger missing above
}

}  // namespace

Effects Engine::arm_hold(const Rule& rule, const Observation& o, const std::string& what, Now now) {
    std::string key = rule.name + "|" + subject_key(o);
    if (holds_->pending.count(key))
        return {debug("rule " + rule.name + ": " + what + " again while its hold runs: the hold goes on")};
    Hold hold;
    hold.rule = rule.name;
    hold.trigger = o.trigger;
    hold.card = o.card;
    hold.connector = o.connector;
    hold.source = o.guest;
    hold.syspath = o.syspath;
    hold.what = what;
    hold.armed_ms = now.mono_ms;
    holds_->pending.emplace(key, std::move(hold));
    return {debug("rule " + rule.name + ": " + what + ": fires in " + std::to_string(rule.hold_s) +
                  " s if it still holds then (hold_s)")};
}

Effects Engine::cancel_holds(const Observation& o, Now now) {
    Effects out;
    for (auto it = holds_->pending.begin(); it != holds_->pending.end();) {
        const Hold& hold = it->second;
        if (!contradicts(hold, rule_named(config_, hold.rule), o)) {
            ++it;
            continue;
        }
        out.push_back(debug("rule " + hold.rule + ": " + hold.what + " cancelled after " +
                            seconds_text(now.mono_ms - hold.armed_ms) + " by " + o.describe() + ": not fired"));
        it = holds_->pending.erase(it);
    }
    return out;
}

// A last look before firing: the connector must still read as the hold saw it (a connector whose
// driver went away, or a guest whose channel closed, can no longer say so).
bool Engine::hold_still_true(const Hold& hold) const {
    if (!is_monitor(hold.trigger)) return true;  // devices: an edge would have cancelled it
    bool want = hold.trigger == Trigger::MonitorConnected;
    std::string key = hold.card + "-" + hold.connector;
    if (hold.source.empty()) {  // a connector reading `unknown` is not known to hold anything
        const MonitorStatus* now = connectors_->find(hold.card, hold.connector);
        return now && !now->unknown && now->connected == want;
    }
    const GuestVm* guest = guests_->find(hold.source);
    if (!guest) return false;
    auto it = guest->connectors.find(key);
    return it != guest->connectors.end() && it->second == want;
}

Effects Engine::hold_tick(Now now) {
    Effects out;
    // Collected first: firing may change what is pending (a stop that settles a guest's connectors).
    std::vector<Hold> due;
    for (auto it = holds_->pending.begin(); it != holds_->pending.end();) {
        const Rule* rule = rule_named(config_, it->second.rule);
        if (!rule || now.mono_ms < it->second.armed_ms + std::int64_t{rule->hold_s} * 1000) {
            ++it;
            continue;
        }
        due.push_back(std::move(it->second));
        it = holds_->pending.erase(it);
    }
    for (const auto& hold : due) {
        const Rule* rule = rule_named(config_, hold.rule);
        if (!hold_still_true(hold)) {
            out.push_back(debug("rule " + hold.rule + ": " + hold.what + " no longer holds after " +
                                std::to_string(rule->hold_s) + " s: not fired"));
            continue;
        }
        out.push_back(
            info("rule " + hold.rule + ": " + hold.what + " held for " + std::to_string(rule->hold_s) + " s"));
        append(out, fire_rule(*rule, hold.what, hold.trigger, now));
    }
    return out;
}

// A reload keeps the holds of rules that still exist with the same trigger and a hold_s; the
// new hold_s counts from when the hold was armed.
Effects Engine::reload_holds() {
    Effects out;
    for (auto it = holds_->pending.begin(); it != holds_->pending.end();) {
        const Rule* rule = rule_named(config_, it->second.rule);
        if (rule && rule->on == it->second.trigger && rule->hold_s > 0) {
            ++it;
            continue;
        }
        out.push_back(debug("rule " + it->second.rule + ": hold on " + it->second.what +
                            " dropped: the rule changed or is gone"));
        it = holds_->pending.erase(it);
    }
    return out;
}

std::optional<std::int64_t> Engine::hold_deadline() const {
    std::optional<std::int64_t> next;
    for (const auto& [key, hold] : holds_->pending) {
        const Rule* rule = rule_named(config_, hold.rule);
        if (!rule) continue;
        std::int64_t at = hold.armed_ms + std::int64_t{rule->hold_s} * 1000;
        if (!next || at < *next) next = at;
    }
    return next;
}

}  // namespace hotseat
