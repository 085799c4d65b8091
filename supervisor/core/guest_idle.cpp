// Idleness (docs/design.md "Idleness", docs/guest-channel.md): only while a VM runs and a vm.idle
// rule names it, its CPU time is sampled (a quarter of the idle timeout, at most once a minute)
// and compared with idle_cpu_percent; guest input reports move its idle clock and a guest inhibit
// holds it. vm.idle fires when a watched VM saw no input and stayed below idle_cpu_percent for its
// idle timeout; any activity re-arms it and cancels a pending idle stop.
#include "core/effects_util.h"
#include "core/guest_sessions.h"
#include "core/rules.h"
#include "core/vm_machine.h"

namespace hotseat {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

// Also tells a helper's version change that was held back (tell_helper): its minute is a deadline too.
Effects GuestSessions::on_tick(Now now) {
    Effects out;
    for (auto& [name, g] : vms_) {
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

Effects GuestSessions::check_idle(const std::string& vm, GuestVm& g, Now now) {
    if (!g.watching || !g.quiet || g.fired || !g.inhibitor.empty() || now.mono_ms - g.active_at < g.timeout_ms)
        return {};
    g.fired = true;
    Effects out{info(vm + ": idle for " + std::to_string((now.mono_ms - g.active_at) / 1000) + " s (" +
                     (g.helper.empty() ? "CPU only: no guest helper said hello" : "no guest input, low CPU") + ")")};
    Observation o;
    o.trigger = Trigger::VmIdle;
    o.subject = vm;
    append(out, fire_rules_(o, now));
    return out;
}

Effects GuestSessions::on(const CpuSample& ev, Machines& machines, Now now) {
    GuestVm* g = guest(ev.vm);
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
        VmMachine* m = find_machine(machines, ev.vm);
        const auto threshold = m ? m->config().idle_cpu_percent : 0;  // gone by a reload: never quiet
        g->quiet = percent < threshold;
        out.push_back(debug(ev.vm + ": CPU " + std::to_string(static_cast<int>(percent + 0.5)) + "% (idle below " +
                            std::to_string(threshold) + "%)"));
        if (!g->quiet) append(out, active(m, *g, now.mono_ms, "the guest's CPU is busy again"));
    }
    g->last_sample_at = now.mono_ms;
    g->last_cpu_ns = ev.cpu_time_ns;
    append(out, check_idle(ev.vm, *g, now));
    return out;
}

Effects GuestSessions::on(const GuestInput& ev, Machines& machines, Now now) {
    GuestVm* g = guest(ev.vm);
    if (!g || !g->watching) return {};
    std::int64_t at = now.mono_ms - ev.idle_ms;
    if (at <= g->active_at) return {};
    return active(find_machine(machines, ev.vm), *g, at, "input in the guest");
}

Effects GuestSessions::active(VmMachine* m, GuestVm& g, std::int64_t at, const std::string& why) {
    if (at > g.active_at) g.active_at = at;
    g.fired = false;
    if (m && m->stop_pending(StopOrigin::Idle)) return m->cancel_pending_stop(why);
    return {};
}

}  // namespace hotseat
