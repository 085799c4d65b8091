// The state machine of one VM (DESIGN §4): off → starting → running → stopping → off, and
// failed. It decides what a request means in each state and follows libvirt's reports; the
// Engine routes events to it and publishes what changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
inline constexpr const char* kCauseFailed = "failed";        // a start or destroy failed

class VmMachine {
public:
    explicit VmMachine(VmConfig config);

    const VmConfig& config() const { return config_; }
    const VmStatus& status() const { return status_; }
    // Starting, running or stopping — or failed after a destroy that failed: its devices are taken.
    bool holds_hardware() const;
    // No deadline while libvirt's word is awaited: acting blind after an outage helps nobody.
    std::optional<std::int64_t> deadline() const {
        return awaiting_snapshot_ ? std::nullopt : deadline_ms_;
    }
    void on_disconnected() { awaiting_snapshot_ = true; }
    // How the VM last came to rest (vm.stopped rules match it as CAUSE): requested, forced, guest,
    // libvirt, crashed, failed.
    const std::string& stop_cause() const { return stop_cause_; }

    // A request (rule or D-Bus). `reason` is what Reason will say if it changes anything.
    CommandReply request(Action action, const std::string& reason, Now now);

    Effects on_lifecycle(const DomainLifecycle& ev, Now now);
    Effects on_result(const DomainOpResult& ev, Now now);
    Effects on_snapshot(const DomainSnapshot& ev, Now now);
    Effects on_tick(Now now);
    void replace_config(VmConfig config) { config_ = std::move(config); }
    void note_error(std::string error) { status_.last_error = std::move(error); }
    void set_devices(std::vector<std::string> devices) { status_.devices = std::move(devices); }
    // The governor's word on a running VM (Step); only it writes while the VM runs.
    void note_step(std::string step) { status_.step = std::move(step); }

private:
    CommandReply start(const std::string& reason, Now now);
    CommandReply stop(const std::string& reason, Now now);
    CommandReply force_stop(const std::string& reason, Now now);
    Effects begin_shutdown(Now now);
    Effects start_completed(Now now);
    Effects settle_off(VmState state, const std::string& reason, const char* cause, Now now);
    Effects destroy_interrupted_start(Now now);
    void transition(VmState state, const std::string& reason, Now now, Effects& out);

    VmConfig config_;
    VmStatus status_;
    bool domain_missing_ = false;          // libvirt has no such domain
    std::optional<std::int64_t> deadline_ms_;  // graceful stop gives up then
    std::optional<std::string> start_after_stop_;  // reason of a start asked for while stopping
    std::optional<std::string> stop_after_start_;  // reason of a stop asked for while starting
    bool forcing_ = false;                 // a destroy is in flight
    bool escalated_ = false;               // the graceful stop timed out
    bool awaiting_snapshot_ = false;       // libvirt went away; its next snapshot is the truth
    bool hardware_in_doubt_ = false;       // a destroy failed: QEMU may still hold the devices
    std::string stop_cause_;
};

}  // namespace hotseat
