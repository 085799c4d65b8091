// The state machine of one VM (docs/design.md "The VM state machine"): off → starting →
// running → stopping → off, and failed; suspended while the guest sleeps in RAM. It decides what
// a request means in each state and follows libvirt's reports; the Engine routes events to it
// and publishes what changed.
// Hibernation and suspend to RAM (docs/hibernate.md) live in vm_machine_sleep.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/machines.h"
#include "hotseat/config.h"
#include "hotseat/effects.h"
#include "hotseat/engine.h"
#include "hotseat/events.h"

namespace hotseat {

inline constexpr const char* kCauseRequested = "requested";  // a rule or a D-Bus call stopped it
inline constexpr const char* kCauseForced = "forced";        // ACPI timed out: destroyed
inline constexpr const char* kCauseGuest = "guest";          // powered off from inside
inline constexpr const char* kCauseLibvirt = "libvirt";      // stopped outside hotseat
inline constexpr const char* kCauseCrashed = "crashed";
inline constexpr const char* kCauseFailed = "failed";          // a start or destroy failed
inline constexpr const char* kCauseHibernated = "hibernated";  // the guest hibernated when asked

// Reasons of transitions nobody on the host asked for (VM property Reason).
inline constexpr const char* kGuestReason = "guest";      // the guest did it (powered off, suspended)
inline constexpr const char* kLibvirtReason = "libvirt";  // someone else did it through libvirt
inline constexpr const char* kAdoptedReason = "adopted";  // found so at start-up or a reconnect

// Who asked for a warned stop (docs/design.md "Warned stops"): guest input cancels an idle stop, not
// the governor's.
enum class StopOrigin { Idle, Governor };

// The longest VM.Postpone accepts, in seconds (a week).
inline constexpr std::uint32_t kMaxPostponeRequestS = 7 * 24 * 3600;

class VmMachine {
public:
    explicit VmMachine(VmConfig config);

    const VmConfig& config() const { return config_; }
    const VmStatus& status() const { return status_; }
    // Starting, running, suspended or stopping — or failed after a destroy that failed: its
    // devices (and memory) are taken.
    bool holds_hardware() const;
    // No deadline while libvirt's word is awaited: acting blind after an outage helps nobody.
    std::optional<std::int64_t> deadline() const;
    void on_disconnected() { awaiting_snapshot_ = true; }
    // How the VM last came to rest (vm.stopped rules match it as CAUSE): requested, forced, guest,
    // libvirt, crashed, failed, hibernated.
    const std::string& stop_cause() const { return stop_cause_; }
    // Starting because a guest asleep in RAM is being woken: the same QEMU, with its devices.
    bool waking() const { return waking_; }

    // A request (rule or D-Bus). `reason` is what Reason will say if it changes anything.
    // `stop_as` is what Stop (and Toggle's stop) does: a bus request shuts down, an automatic
    // stop follows the VM's stop_mode; Hibernate always hibernates.
    CommandReply request(Action action, const std::string& reason, StopMode stop_as, Now now);

    Effects on_lifecycle(const DomainLifecycle& ev, Now now);
    Effects on_result(const DomainOpResult& ev, Now now);
    Effects on_snapshot(const DomainSnapshot& ev, Now now);
    Effects on_tick(Now now);
    void replace_config(VmConfig config) { config_ = std::move(config); }
    void note_error(std::string error) { status_.last_error = std::move(error); }
    void set_devices(std::vector<std::string> devices) { status_.devices = std::move(devices); }
    // The governor's word on a running VM (Step); only it writes while the VM runs.
    void note_step(std::string step) { status_.step = std::move(step); }
    // What the guest says holds it from going idle (IdleInhibitor); empty: nothing.
    void note_inhibitor(std::string reason) { status_.idle_inhibitor = std::move(reason); }

    // A stop from a vm.idle rule or the governor: while the VM runs and warn_s is not 0 it becomes
    // a pending stop (PendingStop) that goes ahead warn_s later unless cancelled or postponed;
    // otherwise it is the plain request. `reason` becomes Reason, `why` is said to the user.
    CommandReply warn_stop(Action action, const std::string& reason, const std::string& why, StopOrigin origin,
                           Now now);
    bool stop_pending() const { return pending_.has_value(); }
    bool stop_pending(StopOrigin origin) const { return pending_ && pending_->origin == origin; }
    // Drops the pending stop, saying `why` in the log; nothing when none is pending.
    Effects cancel_pending_stop(const std::string& why);
    // VM.Postpone: the stop goes ahead `seconds` from now; 0 cancels it. Failed when none is pending.
    CommandReply postpone(std::uint32_t seconds, const std::string& origin, Now now);
    // The guest's `postpone`: never earlier than the deadline in force, never later than the first
    // deadline plus max_postpone_s (a guest cannot hold off a stop the host needs).
    Effects guest_postpone(std::uint32_t seconds, Now now);

private:
    CommandReply start(const std::string& reason, Now now);
    CommandReply stop(const std::string& reason, StopMode mode, Now now);
    CommandReply force_stop(const std::string& reason, Now now);
    Effects begin_stop(StopMode mode, Now now);
    Effects begin_shutdown(Now now, bool acpi_only = false);
    Effects start_completed(Now now);
    Effects force_off(const std::string& step, const std::string& why);
    // vm_machine_sleep.cpp: hibernation and a guest suspended to RAM.
    CommandReply wake(const std::string& reason, Now now);
    Effects wake_to_stop(StopMode mode, Now now);
    Effects begin_hibernate(Now now);
    Effects fall_back_to_shutdown(const std::string& why, Now now);
    Effects on_woken(Now now);
    Effects on_pm_suspended(const DomainLifecycle& ev, Now now);
    // A start that ends with the guest asleep (still holding its memory and devices): `suspended`,
    // and a stop queued during the start is carried out now.
    void settle_asleep(const std::string& reason, Now now, Effects& out);
    Effects on_sleep_result(const DomainOpResult& ev, Now now);
    Effects sleep_tick(Now now);
    Effects snapshot_suspended(Now now);
    Effects settle_off(VmState state, const std::string& reason, const char* cause, Now now);
    Effects destroy_interrupted_start(Now now);
    void transition(VmState state, const std::string& reason, Now now, Effects& out);
    void set_pending_deadline(std::int64_t deadline_ms, Now now);
    void clear_pending();

    VmConfig config_;
    VmStatus status_;
    bool domain_missing_ = false;                  // libvirt has no such domain
    std::optional<std::int64_t> deadline_ms_;      // graceful stop gives up then
    std::optional<std::string> start_after_stop_;  // reason of a start asked for while stopping
    struct QueuedStop {
        std::string reason;
        StopMode mode = StopMode::Shutdown;
    };
    std::optional<QueuedStop> stop_after_start_;  // a stop asked for while starting
    bool waking_ = false;                         // starting: a suspended guest is being woken, not created
    std::optional<StopMode> wake_then_;           // stopping: the guest is woken first, then stopped so
    bool hibernating_ = false;                    // stopping: the guest agent's suspend to disk is under way
    bool forcing_ = false;                        // a destroy is in flight
    bool escalated_ = false;                      // the graceful stop timed out
    bool awaiting_snapshot_ = false;              // libvirt went away; its next snapshot is the truth
    bool hardware_in_doubt_ = false;              // a destroy failed: QEMU may still hold the devices
    std::string stop_cause_;
    struct Pending {
        StopOrigin origin = StopOrigin::Idle;
        Action action = Action::Stop;
        std::string reason;  // Reason once it goes ahead
        std::int64_t deadline_ms = 0;
        std::int64_t cap_ms = 0;  // the guest may not push it past this
    };
    std::optional<Pending> pending_;  // only while running
};

}  // namespace hotseat
