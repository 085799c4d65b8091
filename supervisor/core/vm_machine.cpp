#include "core/vm_machine.h"

#include <algorithm>
#include <utility>

#include "core/effects_util.h"

namespace hotseat {
namespace {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

CommandReply accepted(Effects effects = {}) {
    return CommandReply{CommandReply::Outcome::Accepted, {}, std::move(effects)};
}

}  // namespace

VmMachine* find_machine(const Machines& machines, const std::string& name) {
    for (const auto& m : machines)
        if (m->config().name == name) return m.get();
    return nullptr;
}

VmMachine::VmMachine(VmConfig config) : config_(std::move(config)) { status_.name = config_.name; }

std::optional<std::int64_t> VmMachine::deadline() const {
    if (awaiting_snapshot_) return std::nullopt;
    if (pending_ && (!deadline_ms_ || pending_->deadline_ms < *deadline_ms_)) return pending_->deadline_ms;
    return deadline_ms_;
}

bool VmMachine::holds_hardware() const {
    auto s = status_.state;
    return s == VmState::Starting || s == VmState::Running || s == VmState::Stopping || s == VmState::Suspended ||
           (s == VmState::Failed && hardware_in_doubt_);
}

void VmMachine::transition(VmState state, const std::string& reason, Now now, Effects& out) {
    if (status_.state != state) {
        out.push_back(info(config_.name + ": " + std::string(to_string(status_.state)) + " -> " +
                           std::string(to_string(state)) + " (" + reason + ")"));
        status_.state_changed_at_us = now.wall_us;
    }
    status_.state = state;
    status_.reason = reason;
    if (state != VmState::Running) clear_pending();  // a stop pends only while the VM runs
}

void VmMachine::clear_pending() {
    pending_.reset();
    status_.pending_stop = PendingStop{};
}

void VmMachine::set_pending_deadline(std::int64_t deadline_ms, Now now) {
    pending_->deadline_ms = deadline_ms;
    auto ahead_ms = std::max<std::int64_t>(0, deadline_ms - now.mono_ms);
    status_.pending_stop.deadline_us = now.wall_us + static_cast<std::uint64_t>(ahead_ms) * 1000;
}

CommandReply VmMachine::warn_stop(Action action, const std::string& reason, const std::string& why, StopOrigin origin,
                                  Now now) {
    if (status_.state != VmState::Running || config_.warn_s == 0)
        return request(action, reason, config_.stop_mode, now);
    if (pending_) return accepted({debug(config_.name + ": a stop is pending already; " + why + " changes nothing")});
    std::int64_t deadline = now.mono_ms + std::int64_t{config_.warn_s} * 1000;
    pending_ = Pending{origin, action, reason, deadline, deadline + std::int64_t{config_.max_postpone_s} * 1000};
    status_.pending_stop.action = std::string(to_string(action));
    status_.pending_stop.reason = why;
    set_pending_deadline(deadline, now);
    return accepted({info(config_.name + ": " + std::string(to_string(action)) + " in " +
                          std::to_string(config_.warn_s) + " s (" + why + ") unless postponed or cancelled")});
}

Effects VmMachine::cancel_pending_stop(const std::string& why) {
    if (!pending_) return {};
    std::string what = status_.pending_stop.action + " (" + status_.pending_stop.reason + ")";
    clear_pending();
    return {info(config_.name + ": pending " + what + " cancelled: " + why)};
}

CommandReply VmMachine::postpone(std::uint32_t seconds, const std::string& origin, Now now) {
    if (!pending_)
        return CommandReply{
            CommandReply::Outcome::Failed,
            "no stop is pending for " + config_.name + " (it is " + std::string(to_string(status_.state)) + ")",
            {}};
    if (seconds > kMaxPostponeRequestS)
        return CommandReply{CommandReply::Outcome::Failed,
                            "a stop can be postponed by at most " + std::to_string(kMaxPostponeRequestS) +
                                " seconds (a week), not " + std::to_string(seconds),
                            {}};
    if (seconds == 0) return accepted(cancel_pending_stop(origin));
    set_pending_deadline(now.mono_ms + std::int64_t{seconds} * 1000, now);
    return accepted({info(config_.name + ": pending " + status_.pending_stop.action + " postponed to " +
                          std::to_string(seconds) + " s from now (" + origin + ")")});
}

Effects VmMachine::guest_postpone(std::uint32_t seconds, Now now) {
    if (!pending_) return {debug(config_.name + ": the guest asks to postpone, but no stop is pending")};
    std::int64_t wanted = std::min(now.mono_ms + std::int64_t{seconds} * 1000, pending_->cap_ms);
    // Less than a second later is no news: the guest hears of every move (stop-pending), and a
    // guest that answers each with postpone must not keep the two ends busy.
    if (wanted < pending_->deadline_ms + 1000) {
        bool capped = now.mono_ms + std::int64_t{seconds} * 1000 > pending_->cap_ms;
        return {debug(config_.name + ": the guest's postpone by " + std::to_string(seconds) + " s changes nothing" +
                      (capped ? " (max_postpone_s reached)" : ""))};
    }
    set_pending_deadline(wanted, now);
    std::string text = config_.name + ": the guest postponed the pending " + status_.pending_stop.action + " to " +
                       std::to_string((wanted - now.mono_ms) / 1000) + " s from now" +
                       (wanted == pending_->cap_ms ? " (as far as max_postpone_s allows)" : "");
    return {info(text)};
}

CommandReply VmMachine::request(Action action, const std::string& reason, StopMode stop_as, Now now) {
    switch (action) {
        case Action::Start: return start(reason, now);
        case Action::Stop: return stop(reason, stop_as, now);
        case Action::Hibernate: return stop(reason, StopMode::Hibernate, now);
        case Action::ForceStop: return force_stop(reason, now);
        case Action::Toggle: {
            auto s = status_.state;
            // A guest asleep in RAM is "off" to the person at the desk: toggling wakes it.
            if (s == VmState::Off || s == VmState::Failed || s == VmState::Stopping || s == VmState::Suspended)
                return start(reason, now);
            return stop(reason, stop_as, now);
        }
    }
    return accepted();
}

CommandReply VmMachine::start(const std::string& reason, Now now) {
    switch (status_.state) {
        case VmState::Starting:
        case VmState::Running:
            stop_after_start_.reset();  // the latest intent wins
            if (pending_) return accepted(cancel_pending_stop("start (" + reason + ")"));
            return accepted({debug(config_.name + ": already " + std::string(to_string(status_.state)) + ", start (" +
                                   reason + ") changes nothing")});
        case VmState::Stopping:
            start_after_stop_ = reason;
            return accepted({info(config_.name + ": start (" + reason + ") queued until the current stop completes")});
        case VmState::Suspended: return wake(reason, now);
        case VmState::Off:
        case VmState::Failed: break;
    }
    if (domain_missing_)
        return CommandReply{CommandReply::Outcome::Failed, "libvirt has no domain named \"" + config_.name + "\"", {}};
    Effects out;
    transition(VmState::Starting, reason, now, out);
    status_.step = "starting the domain";
    status_.last_error.clear();
    out.push_back(StartDomain{config_.name});
    return accepted(std::move(out));
}

CommandReply VmMachine::stop(const std::string& reason, StopMode mode, Now now) {
    const std::string what = mode == StopMode::Hibernate ? "hibernate" : "stop";
    switch (status_.state) {
        case VmState::Off:
        case VmState::Failed:
            return accepted({debug(config_.name + ": already " + std::string(to_string(status_.state)) + ", " + what +
                                   " (" + reason + ") changes nothing")});
        case VmState::Starting:
            stop_after_start_ = QueuedStop{reason, mode};
            return accepted(
                {info(config_.name + ": " + what + " (" + reason + ") will follow once the start completes")});
        case VmState::Stopping:
            if (start_after_stop_) {
                start_after_stop_.reset();
                return accepted({info(config_.name + ": " + what + " (" + reason + ") cancels the queued start")});
            }
            return accepted();
        case VmState::Running:
        case VmState::Suspended: break;
    }
    Effects out;
    bool asleep = status_.state == VmState::Suspended;
    transition(VmState::Stopping, reason, now, out);
    status_.last_error.clear();  // LastError speaks of the operation under way
    append(out, asleep ? wake_to_stop(mode, now) : begin_stop(mode, now));
    return accepted(std::move(out));
}

CommandReply VmMachine::force_stop(const std::string& reason, Now now) {
    if (!holds_hardware())
        return accepted({debug(config_.name + ": already " + std::string(to_string(status_.state)) + ", force-stop (" +
                               reason + ") changes nothing")});
    Effects out;
    transition(VmState::Stopping, reason, now, out);
    start_after_stop_.reset();
    stop_after_start_.reset();
    deadline_ms_.reset();
    forcing_ = true;
    hibernating_ = false;
    wake_then_.reset();
    status_.last_error.clear();
    status_.step = "forcing off (destroy)";
    out.push_back(DestroyDomain{config_.name});
    return accepted(std::move(out));
}

Effects VmMachine::begin_stop(StopMode mode, Now now) {
    return mode == StopMode::Hibernate ? begin_hibernate(now) : begin_shutdown(now);
}

Effects VmMachine::begin_shutdown(Now now, bool acpi_only) {
    deadline_ms_ = now.mono_ms + std::int64_t{config_.shutdown_timeout_s} * 1000;
    status_.step = "asking the guest to shut down (ACPI); forcing off after " +
                   std::to_string(config_.shutdown_timeout_s) + " s";
    return {ShutdownDomain{config_.name, acpi_only}};
}

// The graceful way failed or took too long: destroy. `why` is appended to Reason.
Effects VmMachine::force_off(const std::string& step, const std::string& why) {
    forcing_ = true;
    escalated_ = true;
    hibernating_ = false;
    wake_then_.reset();
    deadline_ms_.reset();
    status_.step = step;
    status_.reason += " (" + why + ")";
    return {warning(config_.name + ": " + step), DestroyDomain{config_.name}};
}

Effects VmMachine::settle_off(VmState state, const std::string& reason, const char* cause, Now now) {
    Effects out;
    stop_cause_ = cause;
    hardware_in_doubt_ = false;
    deadline_ms_.reset();
    forcing_ = false;
    escalated_ = false;
    waking_ = false;
    hibernating_ = false;
    wake_then_.reset();
    stop_after_start_.reset();
    status_.step.clear();
    transition(state, reason, now, out);
    if (state == VmState::Off && start_after_stop_) {
        std::string queued = *start_after_stop_;
        start_after_stop_.reset();
        append(out, start(queued, now).effects);
    }
    return out;
}

Effects VmMachine::start_completed(Now now) {
    Effects out;
    status_.step.clear();
    waking_ = false;
    transition(VmState::Running, status_.reason, now, out);
    if (stop_after_start_) {
        QueuedStop queued = *stop_after_start_;
        stop_after_start_.reset();
        append(out, stop(queued.reason, queued.mode, now).effects);
    }
    return out;
}

Effects VmMachine::on_tick(Now now) {
    if (pending_ && now.mono_ms >= pending_->deadline_ms) {
        Pending due = *pending_;
        Effects out{info(config_.name + ": the warning is over: " + status_.pending_stop.action + " (" +
                         status_.pending_stop.reason + ")")};
        clear_pending();
        append(out, request(due.action, due.reason, config_.stop_mode, now).effects);
        return out;
    }
    if (!deadline_ms_ || now.mono_ms < *deadline_ms_) return {};
    deadline_ms_.reset();
    if (status_.state != VmState::Stopping || forcing_) return {};
    if (hibernating_ || wake_then_) return sleep_tick(now);
    std::string timeout = std::to_string(config_.shutdown_timeout_s) + " s";
    return force_off("the guest did not shut down within " + timeout + ": forcing off (destroy)",
                     "forced off: no shutdown within " + timeout);
}

Effects VmMachine::on_lifecycle(const DomainLifecycle& ev, Now now) {
    Effects out;
    auto state = status_.state;
    if (ev.kind == DomainLifecycle::Kind::Suspended) return on_pm_suspended(ev, now);
    if (ev.kind == DomainLifecycle::Kind::Started) {
        if (state == VmState::Starting) {
            return start_completed(now);
        } else if (state == VmState::Stopping && wake_then_) {
            return on_woken(now);
        } else if (state == VmState::Off || state == VmState::Failed || state == VmState::Suspended) {
            // Woken or started by someone else (virsh, the guest's own wake-up source).
            status_.step.clear();
            transition(VmState::Running, kLibvirtReason, now, out);
        }
        return out;
    }
    if (ev.kind == DomainLifecycle::Kind::Crashed || ev.detail == "crashed") {
        if (state == VmState::Off) return out;
        status_.last_error = "the guest crashed";
        return settle_off(VmState::Failed, kLibvirtReason, kCauseCrashed, now);
    }
    // Stopped.
    switch (state) {
        case VmState::Stopping:
            if (hibernating_)  // the guest went down while the agent's suspend to disk was under way
                return settle_off(VmState::Off, status_.reason + " (hibernated)", kCauseHibernated, now);
            return settle_off(VmState::Off, status_.reason, escalated_ ? kCauseForced : kCauseRequested, now);
        case VmState::Suspended:
            out = settle_off(VmState::Off, kLibvirtReason, kCauseLibvirt, now);
            out.push_back(info(config_.name + ": stopped outside hotseat while suspended (" + ev.detail + ")"));
            return out;
        case VmState::Running:
            // by_guest: a shutdown nobody on the host asked for (the adapter knows what it sent).
            if (ev.by_guest) return settle_off(VmState::Off, kGuestReason, kCauseGuest, now);
            out = settle_off(VmState::Off, kLibvirtReason, kCauseLibvirt, now);
            out.push_back(info(config_.name + ": stopped outside hotseat (" + ev.detail + ")"));
            return out;
        case VmState::Starting:
            status_.last_error = std::string(waking_ ? "the domain stopped while waking up"
                                                     : "the domain stopped while starting") +
                                 " (" + ev.detail + ")";
            return settle_off(VmState::Failed, status_.reason, kCauseFailed, now);
        case VmState::Off: return out;
        case VmState::Failed:
            hardware_in_doubt_ = false;  // whatever failed before, QEMU is gone now
            status_.step.clear();        // a destroy of a half-made domain is done
            return out;
    }
    return out;
}

Effects VmMachine::on_result(const DomainOpResult& ev, Now now) {
    if (ev.op == DomainOp::Hibernate || ev.op == DomainOp::Wakeup) return on_sleep_result(ev, now);
    Effects out;
    if (ev.ok) {
        if (ev.op == DomainOp::Start && status_.state == VmState::Starting)
            status_.step = "waiting for libvirt to report the domain running";
        if (ev.op == DomainOp::Shutdown && status_.state == VmState::Stopping && !forcing_)
            status_.step = "waiting for the guest to power off; forcing off after " +
                           std::to_string(config_.shutdown_timeout_s) + " s";
        return out;
    }
    switch (ev.op) {
        case DomainOp::Start:
            status_.last_error = "start failed: " + ev.error;
            out.push_back(warning(config_.name + ": " + status_.last_error));
            if (status_.state == VmState::Starting) {
                start_after_stop_.reset();
                append(out, settle_off(VmState::Failed, status_.reason, kCauseFailed, now));
            }
            return out;
        case DomainOp::Shutdown:
            status_.last_error = "shutdown failed: " + ev.error;
            out.push_back(warning(config_.name + ": " + status_.last_error));
            if (status_.state == VmState::Stopping && !forcing_ && !hibernating_ && !wake_then_) {
                // Waiting out the timeout would only delay the inevitable: force it now.
                forcing_ = true;
                deadline_ms_.reset();
                status_.step = "ACPI shutdown refused: forcing off (destroy)";
                out.push_back(DestroyDomain{config_.name});
            }
            return out;
        case DomainOp::Destroy:
            status_.last_error = "forced stop failed: " + ev.error;
            out.push_back(warning(config_.name + ": " + status_.last_error));
            if (status_.state == VmState::Failed) status_.step.clear();  // no longer destroying
            if (status_.state == VmState::Stopping) {
                append(out, settle_off(VmState::Failed, status_.reason, kCauseFailed, now));
                hardware_in_doubt_ = true;
            }
            return out;
        case DomainOp::Hibernate:
        case DomainOp::Wakeup: break;  // on_sleep_result
    }
    return out;
}

// QEMU is created paused and let run at the end of a start. A libvirtd that died in between shows
// the domain paused "starting up" once it is back (docs/robustness.md). Its CPUs never ran: the
// start failed, and nothing is lost by tearing the half-made domain down, so that the hardware
// comes back and the next trigger starts cleanly. The VM is `failed` (the reason of the start
// that broke is kept) and holds its devices until libvirt reports the domain gone; a stop that
// was under way simply becomes the destroy. Any other pause (`virsh suspend`, the governor,
// `start --paused`) is left alone.
Effects VmMachine::destroy_interrupted_start(Now now) {
    const std::string found = "found paused mid-start (libvirtd restarted during a start)";
    Effects out{warning(config_.name + ": " + found + ": destroying it")};
    if (status_.state == VmState::Stopping) {
        forcing_ = true;
        deadline_ms_.reset();
        status_.step = found + ": forcing off (destroy)";
        out.push_back(DestroyDomain{config_.name});
        return out;
    }
    bool starting = status_.state == VmState::Starting || status_.state == VmState::Failed;
    std::string reason = starting ? status_.reason : kLibvirtReason;
    status_.last_error = "the start was cut off: " + found;
    append(out, settle_off(VmState::Failed, reason, kCauseFailed, now));
    hardware_in_doubt_ = true;  // until libvirt reports the domain gone
    status_.step = "destroying the half-made domain";
    out.push_back(DestroyDomain{config_.name});
    return out;
}

Effects VmMachine::on_snapshot(const DomainSnapshot& ev, Now now) {
    const std::string missing = "libvirt has no domain named \"" + config_.name + "\"";
    Effects out;
    if (!ev.exists) {
        domain_missing_ = true;
        awaiting_snapshot_ = false;
        if (status_.last_error != missing)
            out.push_back(warning(config_.name + ": " + missing + "; requests will fail until it is defined"));
        status_.last_error = missing;
        if (holds_hardware()) append(out, settle_off(VmState::Off, kLibvirtReason, kCauseLibvirt, now));
        return out;
    }
    domain_missing_ = false;
    awaiting_snapshot_ = false;
    if (status_.last_error == missing) status_.last_error.clear();
    auto state = status_.state;
    if (ev.state == DomainRunState::Off) {
        hardware_in_doubt_ = false;
        if (state == VmState::Failed) status_.step.clear();  // nothing left to destroy
    }
    if (ev.state == DomainRunState::Paused && ev.paused_mid_start) return destroy_interrupted_start(now);
    switch (ev.state) {
        case DomainRunState::Running:
        case DomainRunState::Paused:  // QEMU exists and holds the hardware: as running
            if (state == VmState::Off || state == VmState::Failed) {
                status_.step.clear();
                transition(VmState::Running, kAdoptedReason, now, out);
            } else if (state == VmState::Suspended) {
                status_.step.clear();
                transition(VmState::Running, kLibvirtReason, now, out);  // woken while we were away
            } else if (state == VmState::Starting) {
                // The STARTED event may have been lost with the connection: libvirt's word wins.
                return start_completed(now);
            } else if (state == VmState::Stopping && wake_then_) {
                return on_woken(now);  // the wake-up's event was lost with the connection
            }
            return out;  // stopping: the shutdown in flight will report
        case DomainRunState::Suspended: return snapshot_suspended(now);
        case DomainRunState::Off:
            if (state == VmState::Running || state == VmState::Suspended)
                return settle_off(VmState::Off, kLibvirtReason, kCauseLibvirt, now);
            if (state == VmState::Stopping && hibernating_)
                return settle_off(VmState::Off, status_.reason + " (hibernated)", kCauseHibernated, now);
            if (state == VmState::Stopping) return settle_off(VmState::Off, status_.reason, kCauseRequested, now);
            return out;  // starting: the create in flight will report
        case DomainRunState::Crashed:
            if (state == VmState::Failed) return out;
            status_.last_error = "the guest crashed";
            return settle_off(VmState::Failed, kLibvirtReason, kCauseCrashed, now);
    }
    return out;
}

}  // namespace hotseat
