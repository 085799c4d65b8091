// The functional core: events and a time value in, effects out. No I/O, no clock, no threads.
// It owns every decision: which rule fires, debounce, idempotency, what "unplug" means, stop
// escalation. The shell (hotseatd) feeds it and executes what it returns; the scenario tests
// (tests/unit/engine/scenarios/*.scenario) replay scripts against it with fake time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hotseat/config.h"
#include "hotseat/effects.h"
#include "hotseat/events.h"

namespace hotseat {

// How a Command (D-Bus method) was received; the D-Bus adaptor maps it to an error name.
struct CommandReply {
    enum class Outcome { Accepted, NotFound, Busy, Failed };
    Outcome outcome = Outcome::Accepted;
    std::string message;  // for the error; empty when accepted
    Effects effects;
};

class VmMachine;
class ChordTracker;
class ConnectorTracker;
class Governor;
class GuestSessions;
struct Hold;
struct Holds;
struct Observation;
class UsbPassthrough;

class Engine {
public:
    explicit Engine(Config config);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Everything to publish right after start-up (one PublishVm per VM, monitors, libvirt state).
    Effects initial_effects(Now now) const;

    // One event from the shell. Commands also come through here (the reply is dropped).
    Effects handle(const Event& event, Now now);

    // A request from outside, with the answer the caller gets.
    CommandReply command(const Command& command, Now now);
    // VM.Postpone: push or (0) cancel a VM's pending stop.
    CommandReply postpone(const PostponeRequest& request, Now now);

    // A new validated config (SIGHUP, Manager.Reload). VMs keep their state: a running VM stays
    // running even when its [[vm]] entry is gone (it is then no longer managed or published).
    Effects reload(Config config);

    // When the engine next needs a Tick (monotonic ms), if ever.
    std::optional<std::int64_t> next_deadline_ms() const;

    const Config& config() const { return config_; }
    std::vector<VmStatus> vms() const;
    const VmStatus* vm(const std::string& name) const;
    std::vector<MonitorStatus> monitors() const;
    std::vector<KeyboardStatus> keyboards() const;
    // Every configured gpu device, by address: the driver bound now and the VM holding it.
    std::vector<GpuStatus> gpus() const;
    bool libvirt_connected() const { return libvirt_connected_; }

private:
    // What is published, taken before and after an event so that only changes go out.
    struct Published {
        std::vector<VmStatus> vms;
        std::vector<MonitorStatus> monitors;
        std::vector<KeyboardStatus> keyboards;
        bool libvirt_connected = false;
        std::vector<GpuStatus> gpus;
    };
    Published published() const;
    void settle(const Published& before, Now now, Effects& out);
    void publish_changes(const Published& before, Effects& out) const;
    Effects dispatch(const Event& event, Now now);

    // engine_triggers.cpp: what the world did, and the rules it fires.
    Effects on_connector(const ConnectorStatus& ev, Now now);
    Effects on_connector_removed(const ConnectorRemoved& ev);
    Effects on_device(const DeviceEvent& ev, Now now);
    Effects on_keyboard_added(const KeyboardAdded& ev);
    Effects on_keyboard_removed(const KeyboardRemoved& ev);
    Effects on_key(const KeyEvent& ev, Now now);
    Effects fire_stopped_rules(const std::vector<VmStatus>& before, Now now);
    Effects fire_rules(const Observation& observation, Now now);
    // One rule's action, debounced; `trigger` says what fired it.
    Effects fire_rule(const Rule& rule, const std::string& what, Trigger trigger, Now now);

    // engine_holds.cpp: rules with hold_s fire only once their condition has held that long.
    Effects arm_hold(const Rule& rule, const Observation& observation, const std::string& what, Now now);
    Effects cancel_holds(const Observation& observation, Now now);
    Effects hold_tick(Now now);
    Effects reload_holds();
    bool hold_still_true(const Hold& hold) const;
    std::optional<std::int64_t> hold_deadline() const;

    // engine_arbitration.cpp: requests, exclusive devices, takeover.
    CommandReply apply_command(const Command& command, Now now);
    // `stop_as`: what a Stop means here (a bus request shuts down, a rule follows stop_mode).
    CommandReply request(VmMachine& vm, Action action, const std::string& reason, bool takeover, StopMode stop_as,
                         Now now);
    CommandReply take_over(VmMachine& vm, const std::vector<VmMachine*>& holders, const std::string& reason, Now now);
    Effects resume_takeovers(Now now);
    std::vector<VmMachine*> holders_of_devices(const VmMachine& wanted);
    static std::string busy_message(const VmMachine& wanted, const std::vector<VmMachine*>& holders);

    // engine_gpus.cpp: the gpu devices' drivers, and whether they came back after a VM.
    Effects on_gpu_driver(const GpuDriver& ev);
    Effects on_gpu_release(const GpuRelease& ev);
    void read_release_records(const std::vector<VmStatus>& before, Effects& out) const;
    void follow_configured_gpus();  // after the config changed

    Effects on_libvirt(const LibvirtConnection& ev, Now now);
    Effects on_tick(Now now);
    VmMachine* machine(const std::string& name);

    Config config_;
    std::vector<std::unique_ptr<VmMachine>> machines_;
    std::unique_ptr<ConnectorTracker> connectors_;    // core/connectors.h: the host's connectors
    std::map<std::string, KeyboardAdded> keyboards_;  // key: device node
    std::unique_ptr<ChordTracker> chords_;
    std::unique_ptr<Governor> governor_;     // core/governor.h: the resource governor's ladders
    std::unique_ptr<GuestSessions> guests_;  // core/guest_sessions.h: guest channels, idleness, guest hotkeys
    std::unique_ptr<Holds> holds_;
    std::map<std::string, std::int64_t> last_fired_;        // rule name -> mono ms, for debounce
    std::map<std::string, std::string> pending_takeovers_;  // VM -> reason, waiting for holders to stop
    bool libvirt_connected_ = false;
    std::unique_ptr<UsbPassthrough> usb_;              // core/usb_passthrough.h: devices passed through
    std::vector<std::string> gpu_addresses_;           // every [[vm]] gpu, sorted, once each
    std::map<std::string, std::string> gpu_drivers_;   // address → driver bound now ("" none)
    std::map<std::string, std::string> host_drivers_;  // address → the last host driver seen on it
};

}  // namespace hotseat
