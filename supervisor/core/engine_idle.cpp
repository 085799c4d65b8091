// The guest channel and idleness (docs/design.md "Hardware facts" 2, docs/guest-channel.md): while a VM owns
// the GPU and the keyboard, the host learns about monitor unplugs and input only from the guest helper, and
// about load from libvirt's CPU time. Guest connector changes fire the monitor.* rules of the guest's own VM,
// never another VM's (the guest is untrusted, docs/guest-channel.md); vm.idle fires when a watched VM saw
// no input and stayed below idle_cpu_percent for its idle timeout.
#include <algorithm>

#include "core/effects_util.h"
#include "core/guest_tracker.h"
#include "core/rules.h"
#include "core/vm_machine.h"
#include "hotseat/engine.h"

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

bool has_idle_rule(const Config& config, const std::string& vm) {
    return std::any_of(config.rules.begin(), config.rules.end(),
                       [&](const Rule& r) { return r.on == Trigger::VmIdle && r.vm == vm; });
}

}  // namespace

// After every event: a VM that came up gets its channel looked up and its idle clock started; a
// VM that left `running` loses both (no sampling, no timers while it is off). A guest asleep in
// RAM keeps both: it still holds its memory and devices, so its idle clock runs on (it reports no
// input and uses no CPU) and vm.idle ends it like an idle desk (docs/hibernate.md).
void Engine::settle_guests(Now now, Effects& out) {
    for (const auto& m : machines_) {
        const std::string& name = m->config().name;
        bool running = m->status().state == VmState::Running || m->status().state == VmState::Suspended;
        bool want_channel = running && m->config().guest_channel;
        std::int64_t timeout = idle_timeout_ms(m->config());
        bool want_idle = running && timeout > 0 && has_idle_rule(config_, name);
        auto found = guests_->vms.find(name);
        if (found == guests_->vms.end() && !want_channel && !want_idle) continue;
        GuestVm& g = guests_->vms[name];
        if (want_channel && !g.channel) {
            g.channel = true;
            out.push_back(FindGuestChannel{name});
        } else if (want_channel && g.ask_again && libvirt_connected_) {
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
    for (auto it = guests_->vms.begin(); it != guests_->vms.end();) {
        bool configured = config_.find_vm(it->first) != nullptr;
        if (!configured && it->second.channel) out.push_back(CloseGuestChannel{it->first});
        bool idle_entry = !it->second.channel && !it->second.watching;
        it = (!configured || idle_entry) ? guests_->vms.erase(it) : std::next(it);
    }
}

std::optional<std::int64_t> Engine::guest_deadline() const {
    std::optional<std::int64_t> next;
    for (const auto& [name, g] : guests_->vms)
        if (auto d = g.deadline(); d && (!next || *d < *next)) next = d;
    return next;
}

GuestVm* Engine::running_guest(const std::string& vm) {
    auto it = guests_->vms.find(vm);
    return it == guests_->vms.end() ? nullptr : &it->second;
}

Effects Engine::idle_tick(Now now) {
    Effects out;
    for (auto& [name, g] : guests_->vms) {
        if (auto at = g.helper_deadline(); at && now.mono_ms >= *at) append(out, tell_helper(name, g, now.mono_ms));
        if (!g.watching) continue;
        if (!g.sampling && g.next_sample && now.mono_ms >= *g.next_sample) {
            g.sampling = true;
            g.next_sample.reset();
            out.push_back(SampleCpu{name});
        }
        append(out, check_idle(name, g, now));
    }
    return out;
}

Effects Engine::check_idle(const std::string& vm, GuestVm& g, Now now) {
    if (!g.watching || !g.quiet || g.fired || !g.inhibitor.empty() || now.mono_ms - g.active_at < g.timeout_ms)
        return {};
    g.fired = true;
    Effects out{info(vm + ": idle for " + std::to_string((now.mono_ms - g.active_at) / 1000) + " s (" +
                     (g.helper.empty() ? "CPU only: no guest helper said hello" : "no guest input, low CPU") + ")")};
    Observation o;
    o.trigger = Trigger::VmIdle;
    o.subject = vm;
    append(out, fire_rules(o, now));
    return out;
}

Effects Engine::on_guest(const CpuSample& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
    if (!g || !g->watching || !g->sampling) return {debug(ev.vm + ": CPU sample not asked for: ignored")};
    g->sampling = false;
    g->next_sample = now.mono_ms + cpu_sample_period_ms(g->timeout_ms);
    if (!ev.ok) {
        g->quiet = false;
        g->last_sample_at.reset();
        return {warning(ev.vm + ": cannot read CPU time: " + ev.error + "; not counted as idle")};
    }
    Effects out;
    // A counter that went backwards (the domain restarted between samples) starts a new baseline.
    if (g->last_sample_at && ev.cpu_time_ns >= g->last_cpu_ns) {
        double percent = cpu_percent(ev.cpu_time_ns - g->last_cpu_ns, now.mono_ms - *g->last_sample_at, ev.vcpus);
        const VmConfig* vm = config_.find_vm(ev.vm);
        const auto threshold = vm ? vm->idle_cpu_percent : 0;  // gone by a reload: never quiet
        g->quiet = percent < threshold;
        out.push_back(debug(ev.vm + ": CPU " + std::to_string(static_cast<int>(percent + 0.5)) + "% (idle below " +
                            std::to_string(threshold) + "%)"));
        if (!g->quiet) append(out, guest_active(ev.vm, *g, now.mono_ms, "the guest's CPU is busy again"));
    }
    g->last_sample_at = now.mono_ms;
    g->last_cpu_ns = ev.cpu_time_ns;
    append(out, check_idle(ev.vm, *g, now));
    return out;
}

Effects Engine::on_guest(const GuestChannelPath& ev, Now) {
    GuestVm* g = running_guest(ev.vm);
    if (!g || !g->channel) return {debug(ev.vm + ": guest channel path arrived after the VM stopped: ignored")};
    if (ev.unanswered) {
        // Not "no channel": libvirt was not there to say. Asked again once it is (settle_guests).
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
Effects Engine::tell_helper(const std::string& vm, GuestVm& g, std::int64_t now_ms) {
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

Effects Engine::on_guest(const GuestHello& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
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
        g->hotkeys = guest_hotkeys(config_.rules, ev.vm, kMaxGuestHotkeys);
        out.push_back(SendGuest{ev.vm, GuestWelcome{std::min(ev.protocol, guest_protocol_version), g->hotkeys}});
        if (const VmMachine* m = machine(ev.vm); m && m->stop_pending()) {
            const auto& p = m->status().pending_stop;
            out.push_back(SendGuest{ev.vm, GuestStopPending{p.deadline_us, p.action, p.reason}});
        }
    }
    return out;
}

Effects Engine::on_guest(const GuestConnector& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
    if (!g || !g->channel) return {debug(ev.vm + ": guest connector report while not running: ignored")};
    std::string key = ev.card + "-" + ev.connector;
    auto it = g->connectors.find(key);
    if (it == g->connectors.end() && g->connectors.size() >= kMaxGuestConnectors)
        return drop_guest_connector(ev.vm, *g, key, now.mono_ms);
    bool changed = it != g->connectors.end() && it->second != ev.connected;
    g->connectors[key] = ev.connected;
    // As on the host: only a change of a connector already known is a plug or an unplug.
    if (!changed || ev.initial) return {};
    Observation o;
    o.trigger = ev.connected ? Trigger::MonitorConnected : Trigger::MonitorDisconnected;
    o.card = ev.card;
    o.connector = ev.connector;
    o.guest = ev.vm;  // fires only rules of this VM (rules.cpp source_allows)
    return fire_rules(o, now);
}

// A guest cannot make the host keep names without bound (issue #19): beyond the cap a new name is
// dropped, and said so once per connection and then at most once a minute, with how many.
Effects Engine::drop_guest_connector(const std::string& vm, GuestVm& g, const std::string& name, std::int64_t now_ms) {
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

Effects Engine::on_guest(const GuestInput& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
    if (!g || !g->watching) return {};
    std::int64_t at = now.mono_ms - ev.idle_ms;
    if (at <= g->active_at) return {};
    return guest_active(ev.vm, *g, at, "input in the guest");
}

Effects Engine::guest_active(const std::string& vm, GuestVm& g, std::int64_t at, const std::string& why) {
    if (at > g.active_at) g.active_at = at;
    g.fired = false;
    VmMachine* m = machine(vm);
    if (m && m->stop_pending(StopOrigin::Idle)) return m->cancel_pending_stop(why);
    return {};
}

// Protocol 2 lines act on the helper's own VM only (the channel is that VM's), and only once it
// said hello with protocol 2: a guest cannot act on another VM or speak before it negotiated.
Effects Engine::on_guest(const GuestPostpone& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
    VmMachine* m = machine(ev.vm);
    if (!g || !g->speaks_v2() || !m) return {debug(ev.vm + ": guest postpone before a protocol 2 hello: ignored")};
    return m->guest_postpone(ev.seconds, now);
}

Effects Engine::on_guest(const GuestInhibit& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
    VmMachine* m = machine(ev.vm);
    if (!g || !g->speaks_v2() || !m) return {debug(ev.vm + ": guest inhibit before a protocol 2 hello: ignored")};
    std::string reason = ev.active ? ev.reason : "";
    if (reason == g->inhibitor) return {};
    Effects out{info(ev.vm + ": " +
                     (reason.empty() ? "nothing holds the guest from going idle any more (was: " + g->inhibitor + ")"
                                     : "the guest holds idle: " + reason))};
    g->inhibitor = reason;
    m->note_inhibitor(reason);
    // Held or released, idleness counts from now: a film that just ended is not an hour of idling.
    if (g->watching) append(out, guest_active(ev.vm, *g, now.mono_ms, "the guest holds idle: " + reason));
    return out;
}

void Engine::tell_guests(const std::vector<VmStatus>& before, Effects& out) {
    for (const auto& m : machines_) {
        const std::string& name = m->config().name;
        auto g = guests_->vms.find(name);
        if (g == guests_->vms.end() || !g->second.speaks_v2()) continue;
        auto was = std::find_if(before.begin(), before.end(), [&](const VmStatus& s) { return s.name == name; });
        const PendingStop& now = m->status().pending_stop;
        if (was == before.end() || was->pending_stop == now) continue;
        if (now.deadline_us != 0)
            out.push_back(SendGuest{name, GuestStopPending{now.deadline_us, now.action, now.reason}});
        else if (m->status().state == VmState::Running)  // gone ahead: the guest hears ACPI instead
            out.push_back(SendGuest{name, GuestStopCancelled{}});
    }
}

Effects Engine::on_guest(const GuestChannelClosed& ev, Now now) {
    GuestVm* g = running_guest(ev.vm);
    if (!g) return {};
    Effects out{info(ev.vm + ": guest channel closed (" + ev.why + ")" +
                     (g->connectors_dropped
                          ? "; " + std::to_string(g->connectors_dropped) + " more connector name(s) had been dropped"
                          : ""))};
    if (!g->helper.empty()) out.push_back(PublishGuestHelper{ev.vm, ""});
    g->forget_connection();  // a new helper says hello and reports its connectors afresh
    if (!g->inhibitor.empty()) {
        g->inhibitor.clear();
        if (VmMachine* m = machine(ev.vm)) m->note_inhibitor("");
        if (g->watching) append(out, guest_active(ev.vm, *g, now.mono_ms, "the guest channel closed"));
    }
    return out;
}

}  // namespace hotseat
