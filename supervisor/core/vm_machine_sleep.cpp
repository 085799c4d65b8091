// A VM's sleep (docs/hibernate.md): hibernation asked of the guest agent, with its fallback to the
// ACPI shutdown, and a guest that suspended itself to RAM (libvirt PMSUSPENDED): `suspended`,
// woken by a start, woken first by a stop.
#include "core/effects_util.h"
#include "core/vm_machine.h"

namespace hotseat {
namespace {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

std::string seconds(std::uint32_t s) { return std::to_string(s) + " s"; }

}  // namespace

// Start, Toggle or a start rule on a suspended guest: virDomainPMWakeup, not a create. The VM is
// `starting` until libvirt reports it running (STARTED/WAKEUP); a refused wake-up leaves it asleep.
CommandReply VmMachine::wake(const std::string& reason, Now now) {
    Effects out;
    transition(VmState::Starting, reason, now, out);
    waking_ = true;
    status_.last_error.clear();
    status_.step = "waking the guest (it had suspended itself to RAM)";
    out.push_back(WakeDomain{config_.name});
    return CommandReply{CommandReply::Outcome::Accepted, {}, std::move(out)};
}

// A sleeping guest can neither see the ACPI button nor answer its agent: wake it, then stop it the
// way asked. A guest that does not wake within shutdown_timeout_s is forced off.
Effects VmMachine::wake_to_stop(StopMode mode, Now now) {
    wake_then_ = mode;
    deadline_ms_ = now.mono_ms + std::int64_t{config_.shutdown_timeout_s} * 1000;
    status_.step = std::string("waking the guest to ") +
                   (mode == StopMode::Hibernate ? "hibernate it" : "shut it down") +
                   "; forcing off if it is not awake within " + seconds(config_.shutdown_timeout_s);
    return {WakeDomain{config_.name}};
}

Effects VmMachine::on_woken(Now now) {
    StopMode mode = *wake_then_;
    wake_then_.reset();
    return begin_stop(mode, now);
}

// The guest saves its memory to its own swap and powers off (S4 through the guest agent); the
// next start is an ordinary boot that resumes the session. The VM stays `stopping` meanwhile.
Effects VmMachine::begin_hibernate(Now now) {
    hibernating_ = true;
    deadline_ms_ = now.mono_ms + std::int64_t{config_.hibernate_timeout_s} * 1000;
    status_.step =
        "hibernating (the guest agent saves the session to disk); shutting down instead if the guest "
        "is not off within " +
        seconds(config_.hibernate_timeout_s);
    return {HibernateDomain{config_.name}};
}

// No hibernation: the ACPI shutdown → destroy path, and Reason says so. The button only: the
// guest agent may still be busy with the suspend (and libvirt would wait for it first).
Effects VmMachine::fall_back_to_shutdown(const std::string& why, Now now) {
    hibernating_ = false;
    status_.reason += " (" + why + ": shut down instead)";
    Effects out{warning(config_.name + ": " + why + "; shutting the VM down instead")};
    append(out, begin_shutdown(now, true));
    return out;
}

Effects VmMachine::sleep_tick(Now now) {
    if (wake_then_)
        return force_off(
            "the guest did not wake up within " + seconds(config_.shutdown_timeout_s) + ": forcing off (destroy)",
            "forced off: the guest did not wake up");
    return fall_back_to_shutdown("hibernate timed out after " + seconds(config_.hibernate_timeout_s), now);
}

Effects VmMachine::on_sleep_result(const DomainOpResult& ev, Now now) {
    const auto state = status_.state;
    if (ev.op == DomainOp::Wakeup) {
        if (ev.ok) {
            if (state == VmState::Starting && waking_) status_.step = "waiting for libvirt to report the guest awake";
            return {};
        }
        status_.last_error = "wake-up failed: " + ev.error;
        Effects out{warning(config_.name + ": " + status_.last_error)};
        if (state == VmState::Starting && waking_) {
            // Still asleep, memory and devices still held: back to suspended, not failed.
            waking_ = false;
            settle_asleep(status_.reason, now, out);
        } else if (state == VmState::Stopping && wake_then_ && !forcing_) {
            append(out, force_off("the guest cannot be woken: forcing off (destroy)",
                                  "forced off: the guest could not be woken"));
        }
        return out;
    }
    // Hibernate.
    if (state != VmState::Stopping || !hibernating_ || forcing_)
        return {debug(config_.name + ": hibernate result after the stop moved on: ignored")};
    if (ev.ok || ev.guest_went_down) {
        status_.step =
            "hibernating: the guest agent took the request; waiting for the guest to power off "
            "(shutting down instead after " +
            seconds(config_.hibernate_timeout_s) + ")";
        return {};
    }
    status_.last_error = "hibernate failed: " + ev.error;
    return fall_back_to_shutdown("hibernate failed", now);
}

void VmMachine::settle_asleep(const std::string& reason, Now now, Effects& out) {
    status_.step.clear();
    transition(VmState::Suspended, reason, now, out);
    if (stop_after_start_) {
        QueuedStop queued = *stop_after_start_;
        stop_after_start_.reset();
        append(out, stop(queued.reason, queued.mode, now).effects);
    }
}

Effects VmMachine::on_pm_suspended(const DomainLifecycle& ev, Now now) {
    Effects out;
    const auto state = status_.state;
    if (ev.detail == "disk") {  // S4: the guest writes its image and powers off next
        if (state == VmState::Stopping && hibernating_) {
            status_.step = "hibernating: the guest is saving its memory to disk";
            return out;
        }
        return {info(config_.name + ": the guest is hibernating (suspend to disk)")};
    }
    switch (state) {
        case VmState::Running:
            out.push_back(info(config_.name + ": the guest suspended itself to RAM; a start wakes it"));
            status_.step.clear();
            transition(VmState::Suspended, kGuestReason, now, out);
            return out;
        case VmState::Off:
        case VmState::Failed:
            status_.step.clear();
            transition(VmState::Suspended, kLibvirtReason, now, out);
            return out;
        case VmState::Starting:
            if (waking_) return {debug(config_.name + ": suspended again while being woken")};
            // Booted and asleep before the start completed: a queued stop wakes it again.
            settle_asleep(status_.reason, now, out);
            return out;
        case VmState::Stopping:
            if (wake_then_) return out;
            // A guest whose power button means "suspend" (a desktop's default): the stop's
            // timeout still forces it off.
            return {warning(config_.name + ": the guest suspended itself to RAM instead of " +
                            (hibernating_ ? "hibernating" : "shutting down") +
                            "; it is forced off when the timeout ends")};
        case VmState::Suspended: return out;
    }
    return out;
}

// libvirt says the guest sleeps in RAM (start-up, reconnect).
Effects VmMachine::snapshot_suspended(Now now) {
    Effects out;
    switch (status_.state) {
        case VmState::Off:
        case VmState::Failed:
            status_.step.clear();
            transition(VmState::Suspended, kAdoptedReason, now, out);
            return out;
        case VmState::Running:  // its PMSUSPENDED event was lost with the connection
            status_.step.clear();
            transition(VmState::Suspended, kGuestReason, now, out);
            return out;
        case VmState::Starting:  // a create or wake-up in flight reports for itself
        case VmState::Stopping:  // so do the stop's calls, and its deadline holds
        case VmState::Suspended: return out;
    }
    return out;
}

}  // namespace hotseat
