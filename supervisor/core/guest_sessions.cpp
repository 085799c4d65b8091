// The guest channel and idleness (docs/design.md "Hardware facts" 2, docs/guest-channel.md): while a VM owns
// the GPU and the keyboard, the host learns about monitor unplugs and input only from the guest helper, and
// about load from libvirt's CPU time. Guest connector changes fire the monitor.* rules of the guest's own VM,
// never another VM's (the guest is untrusted, docs/guest-channel.md); vm.idle fires when a watched VM saw
// no input and stayed below idle_cpu_percent for its idle timeout (guest_idle.cpp).
#include "core/guest_sessions.h"

#include <algorithm>

#include "core/effects_util.h"
#include "core/rules.h"
#include "core/vm_machine.h"

namespace hotseat {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

namespace {

constexpr int guest_protocol_version = kGuestProtocolVersion;

std::int64_t idle_timeout_ms(const VmConfig& vm) {
    if (vm.idle_timeout_s > 0) return std::int64_t{vm.idle_timeout_s} * 1000;
    return std::int64_t{vm.idle_timeout_min} * 60'000;
}

}  // namespace

GuestSessions::GuestSessions(std::vector<Rule> rules, FireRules fire_rules)
    : rules_(std::move(rules)), fire_rules_(std::move(fire_rules)) {}

bool GuestSessions::has_idle_rule(const std::string& vm) const {
    return std::any_of(rules_.begin(), rules_.end(),
                       [&](const Rule& r) { return r.on == Trigger::VmIdle && r.vm == vm; });
}

// No sampling and no timers while a VM is off. A guest asleep in RAM keeps its channel and idle
// clock: it still holds its memory and devices, so its idle clock runs on (it reports no input
// and uses no CPU) and vm.idle ends it like an idle desk (docs/hibernate.md).
Effects GuestSessions::follow(Machines& machines, bool libvirt_connected, Now now) {
    Effects out;
    for (const auto& m : machines) {
        const std::string& name = m->config().name;
        bool running = m->status().state == VmState::Running || m->status().state == VmState::Suspended;
        bool want_channel = running && m->config().guest_channel;
        std::int64_t timeout = idle_timeout_ms(m->config());
        bool want_idle = running && timeout > 0 && has_idle_rule(name);
        auto found = vms_.find(name);
        if (found == vms_.end() && !want_channel && !want_idle) continue;
        GuestVm& g = vms_[name];
        if (want_channel && !g.channel) {
            g.channel = true;
            out.push_back(FindGuestChannel{name});
        } else if (want_channel && g.ask_again && libvirt_connected) {
            g.ask_again = false;
            out.push_back(FindGuestChannel{name});
        } else if (!want_channel && g.channel) {
            g.channel = false;
            g.ask_again = false;
            out.push_back(CloseGuestChannel{name});
            if (!g.helper.empty()) out.push_back(PublishGuestHelper{name, ""});
            g.forget_connection();
            g.inhibitor.clear();
            m->note_inhibitor("");
        }
        if (want_idle && !g.watching) {
            g.watching = true;
            g.timeout_ms = timeout;
            g.active_at = now.mono_ms;
            g.next_sample = now.mono_ms;  // a first reading now: the baseline for the next one
        } else if (!want_idle && g.watching) {
            g.stop_watching();
        }
        if (g.watching) g.timeout_ms = timeout;  // a reload may change it
    }
    // VMs dropped by a reload: their channels go; nothing else is left behind.
    for (auto it = vms_.begin(); it != vms_.end();) {
        bool configured = find_machine(machines, it->first) != nullptr;
        if (!configured && it->second.channel) out.push_back(CloseGuestChannel{it->first});
        bool idle_entry = !it->second.channel && !it->second.watching;
        it = (!configured || idle_entry) ? vms_.erase(it) : std::next(it);
    }
    return out;
}

std::optional<std::int64_t> GuestSessions::deadline() const {
    std::optional<std::int64_t> next;
    for (const auto& [name, g] : vms_)
        if (auto d = g.deadline(); d && (!next || *d < *next)) next = d;
    return next;
}

GuestVm* GuestSessions::guest(const std::string& vm) {
    auto it = vms_.find(vm);
    return it == vms_.end() ? nullptr : &it->second;
}

const GuestVm* GuestSessions::find(const std::string& vm) const {
    auto it = vms_.find(vm);
    return it == vms_.end() ? nullptr : &it->second;
}

Effects GuestSessions::on(const GuestChannelPath& ev, Machines&, Now) {
    GuestVm* g = guest(ev.vm);
    if (!g || !g->channel) return {debug(ev.vm + ": guest channel path arrived after the VM stopped: ignored")};
    if (ev.unanswered) {
        // Not "no channel": libvirt was not there to say. Asked again once it is (follow).
        g->ask_again = true;
        return {info(ev.vm + ": cannot look up the guest channel now (" + ev.error +
                     "); asking again once libvirt is back")};
    }
    if (ev.path.empty())
        return {warning(ev.vm +
                        ": guest_channel is on but the running domain has no unix channel named "
                        "org.hotseat.guest.0" +
                        (ev.error.empty() ? "" : " (" + ev.error + ")") + "; idleness falls back to CPU alone")};
    return {OpenGuestChannel{ev.vm, ev.path}, debug(ev.vm + ": guest channel at " + ev.path)};
}

// The helper's version on the bus and in the log. Held changes are counted in the line.
Effects GuestSessions::tell_helper(const std::string& vm, GuestVm& g, std::int64_t now_ms) {
    Effects out{PublishGuestHelper{vm, g.helper}};
    std::string held = g.helper_changes_held == 0 ? ""
                                                  : "; it changed " + std::to_string(g.helper_changes_held) +
                                                        " times in the last minute, told once a minute";
    out.push_back(
        info(vm + ": guest helper " + g.helper + " said hello (protocol " + std::to_string(g.protocol) + ")" + held));
    if (g.protocol > guest_protocol_version)
        out.push_back(info(vm + ": the guest helper speaks a newer protocol; what this version "
                                "does not know is ignored"));
    g.helper_told_at = now_ms;
    g.helper_changes_held = 0;
    return out;
}

Effects GuestSessions::on(const GuestHello& ev, Machines& machines, Now now) {
    GuestVm* g = guest(ev.vm);
    if (!g || !g->channel) return {debug(ev.vm + ": guest hello while not running: ignored")};
    Effects out;
    // The helper says hello again now and then (the host may have restarted): news only once.
    if (g->helper == ev.helper_version && g->protocol == ev.protocol) {
        out.push_back(debug(ev.vm + ": guest helper hello again"));
    } else {
        // The first hello of a connection is news at once; a guest changing its version in a loop
        // is told once a minute (issue #19): the state follows at once, the bus and the log later.
        bool first = g->protocol == 0;
        g->helper = ev.helper_version;
        g->protocol = ev.protocol;
        if (first || !g->helper_told_at || now.mono_ms - *g->helper_told_at >= kGuestTellEveryMs) {
            append(out, tell_helper(ev.vm, *g, now.mono_ms));
        } else {
            ++g->helper_changes_held;
            out.push_back(
                debug(ev.vm + ": guest helper changed again to " + ev.helper_version + "; told at the next minute"));
        }
    }
    // Protocol 2 (negotiated: the lower of the two): every hello is answered, so a helper knows
    // the host hears postpone and inhibit, and a stop that is pending already is told again.
    if (g->speaks_v2()) {
        g->hotkeys = guest_hotkeys(rules_, ev.vm, kMaxGuestHotkeys);
        out.push_back(SendGuest{ev.vm, GuestWelcome{std::min(ev.protocol, guest_protocol_version), g->hotkeys}});
        if (const VmMachine* m = find_machine(machines, ev.vm); m && m->stop_pending()) {
            const auto& p = m->status().pending_stop;
            out.push_back(SendGuest{ev.vm, GuestStopPending{p.deadline_us, p.action, p.reason}});
        }
    }
    return out;
}

Effects GuestSessions::on(const GuestConnector& ev, Machines&, Now now) {
    GuestVm* g = guest(ev.vm);
    if (!g || !g->channel) return {debug(ev.vm + ": guest connector report while not running: ignored")};
    std::string key = ev.card + "-" + ev.connector;
    auto it = g->connectors.find(key);
    if (it == g->connectors.end() && g->connectors.size() >= kMaxGuestConnectors)
        return drop_connector(ev.vm, *g, key, now.mono_ms);
    bool changed = it != g->connectors.end() && it->second != ev.connected;
    g->connectors[key] = ev.connected;
    // As on the host: only a change of a connector already known is a plug or an unplug.
    if (!changed || ev.initial) return {};
    Observation o;
    o.trigger = ev.connected ? Trigger::MonitorConnected : Trigger::MonitorDisconnected;
    o.card = ev.card;
    o.connector = ev.connector;
    o.guest = ev.vm;  // fires only rules of this VM (rules.cpp source_allows)
    return fire_rules_(o, now);
}

// A guest cannot make the host keep names without bound (issue #19): beyond the cap a new name is
// dropped, and said so once per connection and then at most once a minute, with how many.
Effects GuestSessions::drop_connector(const std::string& vm, GuestVm& g, const std::string& name, std::int64_t now_ms) {
    ++g.connectors_dropped;
    if (g.connectors_told_at && now_ms - *g.connectors_told_at < kGuestTellEveryMs)
        return {debug(vm + ": guest connector " + name + " dropped")};
    Effects out{warning(vm + ": the guest reports more than " + std::to_string(kMaxGuestConnectors) + " connectors; " +
                        std::to_string(g.connectors_dropped) + " new name(s) dropped (last: " + name +
                        "); rules never see them")};
    g.connectors_told_at = now_ms;
    g.connectors_dropped = 0;
    return out;
}

// Protocol 2 lines act on the helper's own VM only (the channel is that VM's), and only once it
// said hello with protocol 2: a guest cannot act on another VM or speak before it negotiated.
Effects GuestSessions::on(const GuestPostpone& ev, Machines& machines, Now now) {
    GuestVm* g = guest(ev.vm);
    VmMachine* m = find_machine(machines, ev.vm);
    if (!g || !g->speaks_v2() || !m) return {debug(ev.vm + ": guest postpone before a protocol 2 hello: ignored")};
    return m->guest_postpone(ev.seconds, now);
}

Effects GuestSessions::on(const GuestInhibit& ev, Machines& machines, Now now) {
    GuestVm* g = guest(ev.vm);
    VmMachine* m = find_machine(machines, ev.vm);
    if (!g || !g->speaks_v2() || !m) return {debug(ev.vm + ": guest inhibit before a protocol 2 hello: ignored")};
    std::string reason = ev.active ? ev.reason : "";
    if (reason == g->inhibitor) return {};
    Effects out{info(ev.vm + ": " +
                     (reason.empty() ? "nothing holds the guest from going idle any more (was: " + g->inhibitor + ")"
                                     : "the guest holds idle: " + reason))};
    g->inhibitor = reason;
    m->note_inhibitor(reason);
    // Held or released, idleness counts from now: a film that just ended is not an hour of idling.
    if (g->watching) append(out, active(m, *g, now.mono_ms, "the guest holds idle: " + reason));
    return out;
}

Effects GuestSessions::tell_pending_stops(const std::vector<VmStatus>& before, const Machines& machines) const {
    Effects out;
    for (const auto& m : machines) {
        const std::string& name = m->config().name;
        auto g = vms_.find(name);
        if (g == vms_.end() || !g->second.speaks_v2()) continue;
        auto was = std::find_if(before.begin(), before.end(), [&](const VmStatus& s) { return s.name == name; });
        const PendingStop& now = m->status().pending_stop;
        if (was == before.end() || was->pending_stop == now) continue;
        if (now.deadline_us != 0)
            out.push_back(SendGuest{name, GuestStopPending{now.deadline_us, now.action, now.reason}});
        else if (m->status().state == VmState::Running)  // gone ahead: the guest hears ACPI instead
            out.push_back(SendGuest{name, GuestStopCancelled{}});
    }
    return out;
}

Effects GuestSessions::on(const GuestChannelClosed& ev, Machines& machines, Now now) {
    GuestVm* g = guest(ev.vm);
    if (!g) return {};
    Effects out{info(ev.vm + ": guest channel closed (" + ev.why + ")" +
                     (g->connectors_dropped
                          ? "; " + std::to_string(g->connectors_dropped) + " more connector name(s) had been dropped"
                          : ""))};
    if (!g->helper.empty()) out.push_back(PublishGuestHelper{ev.vm, ""});
    g->forget_connection();  // a new helper says hello and reports its connectors afresh
    if (!g->inhibitor.empty()) {
        g->inhibitor.clear();
        VmMachine* m = find_machine(machines, ev.vm);
        if (m) m->note_inhibitor("");
        if (g->watching) append(out, active(m, *g, now.mono_ms, "the guest channel closed"));
    }
    return out;
}

}  // namespace hotseat
