#include "core/governor.h"

#include <algorithm>

#include "core/effects_util.h"
#include "core/vm_machine.h"

namespace hotseat {
namespace {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

constexpr std::uint64_t kQuotaPeriodUs = 100000;  // the kernel's default CFS period
constexpr std::uint32_t kCgroupDefaultWeight = 100;
constexpr const char* kNoBalloon = "balloon not available with PCI passthrough";

bool running(const VmMachine& vm) { return vm.status().state == VmState::Running; }
// Running, or asleep in RAM: either way QEMU holds the VM's memory (docs/hibernate.md), the limits
// the governor set stay in force, and memory pressure may have to end it.
bool alive(const VmMachine& vm) { return running(vm) || vm.status().state == VmState::Suspended; }
bool alive(VmState state) { return state == VmState::Running || state == VmState::Suspended; }

const char* op_words(TuneOp op) {
    switch (op) {
        case TuneOp::CpuWeight: return "setting the CPU weight";
        case TuneOp::VcpuQuota: return "setting the vCPU quota";
        case TuneOp::Balloon: return "setting the balloon";
        case TuneOp::Suspend: return "suspending";
        case TuneOp::Resume: return "resuming";
    }
    return "a governor call";
}

}  // namespace

std::int64_t Governor::calm_deadline(const Ladder& ladder) const {
    std::int64_t since = std::max(ladder.changed_ms, last_stall_ms_.value_or(ladder.changed_ms));
    return since + std::int64_t{config_.calm_s} * 1000;
}

std::optional<std::int64_t> Governor::deadline() const {
    std::optional<std::int64_t> next;
    for (const auto& [name, ladder] : ladders_)
        if (ladder.level > 0)
            if (auto d = calm_deadline(ladder); !next || d < *next) next = d;
    return next;
}

int Governor::level(const std::string& vm) const {
    auto it = ladders_.find(vm);
    return it == ladders_.end() ? 0 : it->second.level;
}

// Step names every rung in force, so a glance at the VM says what the governor has done to it.
void Governor::describe(VmMachine& vm, const Ladder& ladder, bool easing) const {
    if (ladder.level == 0) {
        vm.note_step("");
        return;
    }
    if (ladder.level >= 4 && ladder.suspended) {
        vm.note_step("governor: suspended while the host is under " + ladder.resource + " pressure");
        return;
    }
    if (ladder.level >= 4 && vm.stop_pending(StopOrigin::Governor)) {
        vm.note_step("governor: host under " + ladder.resource + " pressure: the VM stops once its warning is over");
        return;
    }
    std::string what = "CPU weight " + std::to_string(config_.reduced_cpu_weight);
    if (ladder.level >= 2) what += ", vCPU quota " + std::to_string(config_.vcpu_quota_percent) + " %";
    if (ladder.level >= 3)
        what += vm.config().gpu.empty() ? ", balloon " + std::to_string(config_.balloon_percent) + " %"
                                        : std::string(", ") + kNoBalloon;
    vm.note_step(easing ? "governor: pressure eased, stepping down: " + what
                        : "governor: host under " + ladder.resource + " pressure: " + what);
}

Effects Governor::on_stall(const PressureStall& ev, Machines& machines, Now now) {
    if (!config_.enable) return {debug("pressure on " + ev.resource + " ignored: governor disabled")};
    last_stall_ms_ = now.mono_ms;
    Effects out;
    const std::int64_t step_ms = std::int64_t{config_.step_s} * 1000;
    for (auto& m : machines) {
        if (m->status().state == VmState::Suspended) {
            append(out, stall_while_asleep(*m, ev, now));
            continue;
        }
        if (!running(*m)) continue;
        Ladder& ladder = ladders_[m->config().name];
        ladder.resource = ev.resource;
        if (ladder.level >= top_level()) continue;
        if (ladder.level > 0 && now.mono_ms - ladder.changed_ms < step_ms) continue;
        append(out, climb(*m, ladder, now));
    }
    return out;
}

Effects Governor::climb(VmMachine& vm, Ladder& ladder, Now now) {
    const std::string& name = vm.config().name;
    Effects out;
    ladder.level += 1;
    ladder.changed_ms = now.mono_ms;
    switch (ladder.level) {
        case 1:
            ladder.weight_lowered = true;
            out.push_back(SetCpuWeight{name, config_.reduced_cpu_weight});
            break;
        case 2:
            ladder.quota_capped = true;
            out.push_back(SetVcpuQuota{name, std::int64_t{config_.vcpu_quota_percent} * 1000, kQuotaPeriodUs});
            break;
        case 3:
            if (!vm.config().gpu.empty()) {
                out.push_back(info(name + ": governor: " + kNoBalloon + " (QEMU pins guest memory); skipped"));
                break;
            }
            ladder.ballooned = true;
            out.push_back(SetBalloon{name, config_.balloon_percent});
            break;
        default:
            if (config_.top_action == GovernorTop::Suspend) {
                ladder.suspended = true;
                out.push_back(SuspendDomain{name});
            } else {
                std::string reason = "governor: host under " + ladder.resource + " pressure";
                out.push_back(warning(name + ": " + reason + ": stopping the VM"));
                // Warned first (warn_s); its ladder goes once it leaves running (follow).
                append(out, vm.warn_stop(Action::Stop, reason, reason, StopOrigin::Governor, now).effects);
                if (vm.stop_pending(StopOrigin::Governor)) describe(vm, ladder, false);
                return out;
            }
    }
    describe(vm, ladder, false);
    out.push_back(warning(name + ": " + vm.status().step));
    return out;
}

// A guest asleep in RAM uses no CPU: no rung eases CPU pressure, and it cannot give memory back
// through its balloon. All it holds is its memory: under memory pressure with top_action "stop",
// it is stopped (its way: hibernate when stop_mode says so, woken first either way).
Effects Governor::stall_while_asleep(VmMachine& vm, const PressureStall& ev, Now now) {
    if (ev.resource != "memory" || config_.top_action != GovernorTop::Stop) return {};
    std::string reason = "governor: host under memory pressure while the VM sleeps in RAM";
    Effects out{warning(vm.config().name + ": " + reason + ": stopping the VM")};
    append(out, vm.request(Action::Stop, reason, vm.config().stop_mode, now).effects);
    return out;
}

Effects Governor::on_tick(Machines& machines, Now now) {
    Effects out;
    for (auto& m : machines) {
        auto it = ladders_.find(m->config().name);
        if (it == ladders_.end() || it->second.level == 0 || now.mono_ms < calm_deadline(it->second)) continue;
        append(out, descend(*m, it->second, now));
    }
    return out;
}

Effects Governor::descend(VmMachine& vm, Ladder& ladder, Now now) {
    Effects out = undo_rung(vm.config().name, vm.config().cpu_weight, ladder);
    // The warning gave the host time to calm down: the VM need not go after all.
    if (ladder.level >= 4 && vm.stop_pending(StopOrigin::Governor))
        append(out, vm.cancel_pending_stop("the host's pressure eased"));
    ladder.level -= 1;
    ladder.changed_ms = now.mono_ms;
    describe(vm, ladder, true);
    out.push_back(
        info(vm.config().name + ": " +
             (ladder.level == 0 ? std::string("governor: pressure gone, all limits lifted") : vm.status().step)));
    if (ladder.level == 0) ladders_.erase(vm.config().name);
    return out;
}

// Undoes the top rung, but only what took effect (a failed call changed nothing).
Effects Governor::undo_rung(const std::string& name, std::optional<std::uint32_t> cpu_weight, Ladder& ladder) {
    switch (ladder.level) {
        case 1: {
            if (!ladder.weight_lowered) return {};
            ladder.weight_lowered = false;
            std::int64_t weight = cpu_weight ? *cpu_weight : ladder.weight_before.value_or(kCgroupDefaultWeight);
            return {SetCpuWeight{name, static_cast<std::uint32_t>(weight)}};
        }
        case 2: {
            if (!ladder.quota_capped) return {};
            ladder.quota_capped = false;
            auto period = ladder.period_before.value_or(std::int64_t{kQuotaPeriodUs});
            return {SetVcpuQuota{name, ladder.quota_before.value_or(-1),
                                 static_cast<std::uint64_t>(period > 0 ? period : std::int64_t{kQuotaPeriodUs})}};
        }
        case 3:
            if (!ladder.ballooned) return {};
            ladder.ballooned = false;
            return {SetBalloon{name, 100}};
        default:
            if (!ladder.suspended) return {};
            ladder.suspended = false;
            return {ResumeDomain{name}};
    }
}

Effects Governor::on_result(const TuneResult& ev, VmMachine* vm) {
    if (!vm) return {debug("governor result for unconfigured domain " + ev.vm + ": ignored")};
    auto it = ladders_.find(ev.vm);
    Ladder* ladder = it == ladders_.end() ? nullptr : &it->second;
    if (ev.ok) {
        if (ladder && ev.op == TuneOp::CpuWeight && ladder->weight_lowered && !ladder->weight_before)
            ladder->weight_before = ev.previous;
        if (ladder && ev.op == TuneOp::VcpuQuota && ladder->quota_capped && !ladder->quota_before) {
            ladder->quota_before = ev.previous;
            ladder->period_before = ev.previous_period;
        }
        return {};
    }
    // A call that failed changed nothing: there is nothing to undo for it.
    if (ladder && ladder->level > 0) {
        if (ev.op == TuneOp::CpuWeight && ladder->level == 1) ladder->weight_lowered = false;
        if (ev.op == TuneOp::VcpuQuota && ladder->level == 2) ladder->quota_capped = false;
        if (ev.op == TuneOp::Balloon && ladder->level == 3) ladder->ballooned = false;
        if (ev.op == TuneOp::Suspend) ladder->suspended = false;
    }
    std::string error = std::string("governor: ") + op_words(ev.op) + " failed: " + ev.error;
    vm->note_error(error);
    return {warning(ev.vm + ": " + error)};
}

Effects Governor::follow(const std::vector<VmStatus>& before, Machines& machines) {
    Effects out;
    for (auto& m : machines) {
        const std::string& name = m->config().name;
        auto was = std::find_if(before.begin(), before.end(), [&](const VmStatus& s) { return s.name == name; });
        bool was_alive = was != before.end() && alive(was->state);
        if (alive(*m) && !was_alive && m->config().cpu_weight)
            out.push_back(SetCpuWeight{name, *m->config().cpu_weight});
        if (alive(*m) || !was_alive) continue;
        auto it = ladders_.find(name);
        if (it == ladders_.end()) continue;
        // A suspended guest cannot act on the ACPI shutdown that is stopping it.
        if (it->second.suspended && m->status().state == VmState::Stopping) out.push_back(ResumeDomain{name});
        ladders_.erase(it);
    }
    append(out, watch(machines));
    return out;
}

// A pending governor stop that was cancelled (VM.Postpone 0, a start) takes the ladder back to
// the rung below: if the stalls go on, the next climb after step_s asks again.
Effects Governor::notice_cancelled_stops(Machines& machines, Now now) {
    Effects out;
    if (config_.top_action != GovernorTop::Stop) return out;
    for (auto& m : machines) {
        auto it = ladders_.find(m->config().name);
        if (it == ladders_.end() || it->second.level < 4 || !running(*m) || m->stop_pending(StopOrigin::Governor))
            continue;
        it->second.level = 3;
        it->second.changed_ms = now.mono_ms;
        describe(*m, it->second, false);
        out.push_back(info(m->config().name + ": governor: the stop was cancelled; if the pressure goes on it "
                                              "asks again after step_s"));
    }
    return out;
}

Effects Governor::watch(const Machines& machines) {
    bool want = config_.enable &&
                std::any_of(machines.begin(), machines.end(), [](const auto& m) { return alive(*m); });
    if (want == watching_) return {};
    watching_ = want;
    if (!want) last_stall_ms_.reset();
    return {WatchPressure{want}, debug(want ? "governor: a VM runs, watching host pressure"
                                            : "governor: no VM runs, pressure triggers closed")};
}

Effects Governor::reload(GovernorConfig config, Machines& machines) {
    config_ = std::move(config);
    Effects out;
    for (auto it = ladders_.begin(); it != ladders_.end();) {
        VmMachine* m = find_machine(machines, it->first);
        bool managed = m && alive(*m);
        // A VM dropped from the config is no longer managed: it gets everything back first.
        int floor = managed && config_.enable ? std::min(it->second.level, top_level()) : 0;
        while (it->second.level > floor) {
            append(out, undo_rung(it->first, managed ? m->config().cpu_weight : std::nullopt, it->second));
            it->second.level -= 1;
        }
        if (!managed) {
            it = ladders_.erase(it);
            continue;
        }
        bool stop_on_top = it->second.level >= 4 && config_.top_action == GovernorTop::Stop;
        if (!stop_on_top && m->stop_pending(StopOrigin::Governor))
            append(out, m->cancel_pending_stop("the governor was reconfigured"));
        describe(*m, it->second, true);
        it = it->second.level == 0 ? ladders_.erase(it) : std::next(it);
    }
    append(out, watch(machines));
    return out;
}

}  // namespace hotseat
