// Hotkeys from inside the desk (#18, docs/guest-channel.md): while the keyboard is passed
// through, the host sees none of its keys, so the guest helper watches the chords of the hotkey
// rules this VM's guest may fire and reports them. The guest is untrusted: only a chord the engine
// offered this VM counts, only that VM's rules fire, and at most one a kGuestHotkeyGapMs.
#include <algorithm>

#include "core/effect_text.h"
#include "core/effects_util.h"
#include "core/guest_sessions.h"
#include "core/rules.h"

namespace hotseat {

using fx::append;
using fx::debug;
using fx::info;

namespace {

std::vector<std::string> sorted(std::vector<std::string> keys) {
    std::sort(keys.begin(), keys.end());
    return keys;
}

}  // namespace

Effects GuestSessions::on(const GuestHotkey& ev, Machines&, Now now) {
    GuestVm* g = guest(ev.vm);
    if (!g || !g->speaks_v2()) return {debug(ev.vm + ": guest hotkey before a protocol 2 hello: ignored")};
    const std::string chord = chord_text(ev.keys);
    // The chord as a set: the helper names it as it was offered, but the order is no part of it.
    auto pressed = sorted(ev.keys);
    std::vector<std::string> rules;
    for (const auto& rule : rules_)
        if (guest_may_fire(rule, ev.vm) && sorted(rule.keys) == pressed) rules.push_back(rule.name);
    if (rules.empty())
        return {debug(ev.vm + ": guest hotkey " + chord + " is no chord of this VM's hotkey rules: ignored")};
    if (g->hotkey_at && now.mono_ms - *g->hotkey_at < kGuestHotkeyGapMs)
        return {debug(ev.vm + ": guest hotkey " + chord + " within " + std::to_string(kGuestHotkeyGapMs) +
                      " ms of the last one: ignored")};
    g->hotkey_at = now.mono_ms;
    Observation o;
    o.trigger = Trigger::Hotkey;
    o.chords = &rules;
    o.subject = chord;
    o.guest = ev.vm;
    return fire_rules_(o, now);
}

// A reload may change which chords a guest may fire: a helper that speaks protocol 2 hears the
// new list at once (a host hello again), not only at its next hello.
Effects GuestSessions::reload(std::vector<Rule> rules) {
    rules_ = std::move(rules);
    Effects out;
    for (auto& [name, g] : vms_) {
        if (!g.speaks_v2()) continue;
        auto now = guest_hotkeys(rules_, name, kMaxGuestHotkeys);
        if (now == g.hotkeys) continue;
        g.hotkeys = std::move(now);
        out.push_back(SendGuest{name, GuestWelcome{std::min(g.protocol, kGuestProtocolVersion), g.hotkeys}});
        out.push_back(info(name + ": the guest helper is told the hotkeys it may fire changed"));
    }
    return out;
}

}  // namespace hotseat
