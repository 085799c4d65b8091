// The validated configuration model (docs/design.md "Configuration"). Produced by load_config();
// consumed by the engine and the shell. Every value here has been checked: the engine never re-validates.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotseat {

struct SupervisorConfig {
    std::string libvirt_uri = "qemu:///system";
    std::string control_group = "wheel";
    std::uint32_t debounce_ms = 1500;
};

struct UsbDeviceMatch {
    std::string vendor;   // 4 lowercase hex digits
    std::string product;  // 4 lowercase hex digits
    std::string serial;   // empty: any
};

// How an automatic stop ends the VM (docs/design.md "Suspended and hibernate",
// docs/hibernate.md): an ACPI shutdown, or a hibernation inside the guest (S4 through the guest
// agent) that keeps the session on its disk.
enum class StopMode { Shutdown, Hibernate };

struct VmConfig {
    std::string name;                 // libvirt domain name
    std::vector<std::string> gpu;     // PCI addresses "0000:00:02.0", taken exclusively
    std::vector<UsbDeviceMatch> usb;  // attached live while running
    std::uint32_t shutdown_timeout_s = 60;
    std::uint32_t idle_timeout_min = 30;  // 0 = never
    std::uint32_t idle_cpu_percent = 3;
    // cgroup v2 cpu.weight (1-10000) set when the VM has started; unset: libvirt's value stays.
    std::optional<std::uint32_t> cpu_weight;
    std::uint32_t idle_timeout_s = 0;  // when set, replaces idle_timeout_min (short timeouts, tests)
    bool guest_channel = false;        // connect to the guest helper's channel while it runs
    // A stop from a vm.idle rule or the governor waits this long first (PendingStop), so that
    // the person at the desk is warned and may postpone it; 0 stops at once.
    std::uint32_t warn_s = 60;
    // How far the guest (its helper's `postpone`) may push one pending stop past its deadline.
    std::uint32_t max_postpone_s = 3600;
    // What a stop from a rule, vm.idle, the governor or a takeover does; D-Bus Stop is always a
    // shutdown and Hibernate always a hibernation.
    StopMode stop_mode = StopMode::Shutdown;
    // A hibernation the guest has not finished by then falls back to the ACPI shutdown.
    std::uint32_t hibernate_timeout_s = 120;
};

// [governor]: the server-first resource governor (docs/governor.md). While a VM runs and the
// host's services stall (PSI), it climbs a ladder per VM and steps back down once calm.
enum class GovernorTop { None, Suspend, Stop };
struct GovernorConfig {
    bool enable = false;
    std::string cpu_pressure;          // PSI file; empty: system.slice's, else /proc/pressure/cpu
    std::string memory_pressure;       // same for memory
    std::uint32_t cpu_stall_ms = 200;  // "some" stall within window_ms that counts; 0: not watched
    std::uint32_t memory_stall_ms = 100;
    std::uint32_t window_ms = 2000;
    std::uint32_t step_s = 10;  // at least this long on one rung before climbing the next
    std::uint32_t calm_s = 60;  // this long without a stall before stepping one rung down
    std::uint32_t reduced_cpu_weight = 10;
    std::uint32_t vcpu_quota_percent = 50;  // of one host CPU, per vCPU
    std::uint32_t balloon_percent = 50;     // of the domain's maximum memory
    GovernorTop top_action = GovernorTop::None;
};

enum class Trigger {
    MonitorConnected,
    MonitorDisconnected,
    DeviceAdded,
    DeviceRemoved,
    Hotkey,
    VmIdle,
    VmStopped,
};

// Hibernate: the guest saves its session to disk and powers off (guest agent); when it cannot,
// the VM is shut down instead (docs/hibernate.md).
enum class Action { Start, Stop, Toggle, ForceStop, Hibernate };

// Whose reports may fire a monitor or hotkey rule (hotseat.toml(5) `source`): the host's own connectors and
// keyboards, the guest helper of the rule's own VM, or both. A guest's reports never fire a rule
// of another VM, whatever its source says.
enum class RuleSource { Any, Host, Guest };

struct Rule {
    std::string name;
    Trigger on = Trigger::MonitorConnected;
    std::string connector;                     // glob; empty matches every connector
    std::vector<std::string> keys;             // hotkey chord, evdev key names
    std::map<std::string, std::string> match;  // udev property -> glob
    std::string device;                        // hotkey: glob on the keyboard's /dev/input/by-id name; empty: any
    Action action = Action::Start;
    std::string vm;
    bool takeover = false;
    // Fire only if the condition still holds this long after the trigger (monitor still
    // disconnected, device still absent, ...); 0 fires at once. Monitor and device rules only.
    std::uint32_t hold_s = 0;
    RuleSource source = RuleSource::Any;  // monitor.* and hotkey rules only
};

struct Config {
    std::string path;  // where it was read from, for messages
    SupervisorConfig supervisor;
    GovernorConfig governor;
    std::vector<VmConfig> vms;
    std::vector<Rule> rules;

    const VmConfig* find_vm(const std::string& name) const;
};

// One problem found while loading, with the place it came from.
struct ConfigError {
    std::string file;
    std::uint32_t line = 0;    // 1-based; 0 when the problem has no position (e.g. file mode)
    std::uint32_t column = 0;  // 1-based
    std::string message;

    // "file:line:column: message" (or "file: message" without a position)
    std::string to_string() const;
};

struct ConfigLoad {
    std::optional<Config> config;       // set only when errors is empty
    std::vector<ConfigError> errors;    // every problem found, in file order
    std::vector<ConfigError> warnings;  // accepted, but worth saying (e.g. a rule that can never fire)
};

// Whose file load_config_file accepts. Skip exists for one caller only: `hotseatd --check-config
// --no-owner-check`, which checks a generated file where root cannot own it (a Nix build
// sandbox). The daemon, hotseatctl and the hook always read with RootOnly.
enum class OwnerCheck { RootOnly, Skip };

// Reads and validates a config file: refuses a file writable by anyone but root (with Skip: a
// file root does not own is read, one writable by group or others is still refused).
// Defined outside the pure core, in the hotseat_config_file library (supervisor/CMakeLists.txt):
// a program that links hotseat_core alone and calls it does not link.
ConfigLoad load_config_file(const std::string& path, OwnerCheck owner = OwnerCheck::RootOnly);

// Validates TOML text; `origin` names it in messages. No file-mode check.
ConfigLoad load_config_string(const std::string& text, const std::string& origin);

std::string_view to_string(Trigger trigger);
std::string_view to_string(Action action);
std::optional<Trigger> trigger_from_string(std::string_view s);
std::optional<Action> action_from_string(std::string_view s);
std::string_view to_string(RuleSource source);
std::optional<RuleSource> rule_source_from_string(std::string_view s);
std::string_view to_string(StopMode mode);
std::optional<StopMode> stop_mode_from_string(std::string_view s);
std::string_view to_string(GovernorTop top);
std::optional<GovernorTop> governor_top_from_string(std::string_view s);

}  // namespace hotseat
