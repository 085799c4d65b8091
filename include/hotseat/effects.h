// What the engine asks the shell to do. The shell executes effects in order and reports the
// outcome back as events; it makes no decisions of its own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "hotseat/events.h"

namespace hotseat {

// Suspended: the guest suspended itself to RAM; it holds its memory and devices like a running
// VM, and a start wakes it.
enum class VmState { Off, Starting, Running, Stopping, Failed, Suspended };
std::string_view to_string(VmState state);

// A stop announced but not yet under way (docs/design.md "Warned stops"): the VM property PendingStop.
struct PendingStop {
    std::uint64_t deadline_us = 0;  // wall clock, µs since the epoch; 0: no stop pending
    std::string action;             // "stop" or "force-stop"
    std::string reason;             // in words, for the person at the desk
    bool operator==(const PendingStop&) const = default;
};

// Everything published about one VM (the VM object's properties, docs/design.md "The D-Bus API").
struct VmStatus {
    std::string name;
    VmState state = VmState::Off;
    std::string step;        // what a start/stop is doing now; empty when settled
    std::string reason;      // why the last transition happened
    std::string last_error;  // empty when the last operation succeeded
    std::uint64_t state_changed_at_us = 0;
    std::vector<std::string> devices;  // passthrough devices attached now: "usb 046d:c52b bus 1 dev 5"
    PendingStop pending_stop;          // a warned stop to come (vm.idle rule, governor)
    std::string idle_inhibitor;        // why the guest holds idle ("audio playing"); empty: nothing does

    bool operator==(const VmStatus&) const = default;
};

struct MonitorStatus {
    std::string connector;  // "HDMI-A-1"
    bool connected = false;
    bool unknown = false;  // the kernel has not probed it yet (hotseatd(8)); connected is false
    bool operator==(const MonitorStatus&) const = default;

    // "connected", "disconnected" or "unknown": the status as the Monitors property shows it.
    const char* status_text() const { return unknown ? "unknown" : connected ? "connected" : "disconnected"; }
};

struct KeyboardStatus {
    std::string node;  // "/dev/input/event7"
    std::string name;
    bool operator==(const KeyboardStatus&) const = default;
};

// One configured gpu device (the union of every [[vm]] gpu list), as the Manager's Gpus publishes
// it (docs/design.md "GPUs and the release record").
struct GpuStatus {
    std::string address;  // "0000:00:02.0"
    std::string driver;   // bound now ("i915", "vfio-pci"); empty: none, or not known yet
    std::string holder;   // the VM holding it (starting, running, stopping); empty: none
    bool operator==(const GpuStatus&) const = default;
};

// libvirt calls, executed on the worker thread; each reports back a DomainOpResult.
struct StartDomain {
    std::string vm;
};
struct ShutdownDomain {
    std::string vm;
    // The ACPI power button only, never the guest agent: the fallback of a hibernation, whose
    // agent may still be busy with it (libvirt would wait for the agent first).
    bool acpi_only = false;
};
struct DestroyDomain {
    std::string vm;
};
// The guest agent's suspend to disk (virDomainPMSuspendForDuration); it may block until the guest
// is down, so the adapter runs it apart from the other calls.
struct HibernateDomain {
    std::string vm;
};
// Wakes a guest that suspended itself to RAM (virDomainPMWakeup).
struct WakeDomain {
    std::string vm;
};

// Live USB passthrough (virDomainAttachDeviceFlags / DetachDeviceFlags, VIR_DOMAIN_AFFECT_LIVE)
// on the worker thread; each reports back a UsbOpResult. `syspath` only travels back with it.
struct AttachUsb {
    std::string vm;
    std::string syspath;
    UsbHostDevice device;
};
struct DetachUsb {
    std::string vm;
    std::string syspath;
    UsbHostDevice device;
};
// Governor calls, executed on the worker thread (live, on the running domain); each reports
// back a TuneResult.
struct SetCpuWeight {
    std::string vm;
    std::uint32_t weight = 100;
};  // libvirt "cpu_shares"
struct SetVcpuQuota {
    std::string vm;
    std::int64_t quota_us = -1;  // per vCPU and period; negative: unlimited
    std::uint64_t period_us = 100000;
};
struct SetBalloon {
    std::string vm;
    std::uint32_t percent = 100;
};  // of the domain's maximum memory
struct SuspendDomain {
    std::string vm;
};
struct ResumeDomain {
    std::string vm;
};

// Which keyboards the input adapter may open, and which keys it may read on each (docs/robustness.md,
// "Keyboards"): one entry per hotkey rule that listens to the host's keyboards. A keyboard is
// opened only while some entry fits it (keyboard_fits(): the rule's `match` and `device`), and
// the kernel is asked (EVIOCSMASK) for the keys of the fitting entries' chords alone. No entry:
// no keyboard is open. Sent at start-up and whenever a reload changes it.
struct KeyboardWatch {
    std::string rule;
    std::map<std::string, std::string> match;  // udev property -> glob; empty: any keyboard
    std::string device;                        // glob on /dev/input/by-id names; empty: any
    std::vector<std::uint16_t> keys;           // the chord's key codes (KEY_*)
    bool operator==(const KeyboardWatch&) const = default;
};
struct WatchKeyboards {
    std::vector<KeyboardWatch> watches;
    bool operator==(const WatchKeyboards&) const = default;
};

// Arm (on) or close (off) the PSI triggers: on while some VM runs under an enabled governor.
struct WatchPressure {
    bool on = false;
};

// Publish on the bus (the adaptor diffs and emits PropertiesChanged for what changed).
struct PublishVm {
    VmStatus status;
};
struct PublishMonitors {
    std::vector<MonitorStatus> monitors;
};
struct PublishLibvirtConnected {
    bool connected = false;
};
struct PublishKeyboards {
    std::vector<KeyboardStatus> keyboards;
};
struct PublishGpus {
    std::vector<GpuStatus> gpus;
};
struct RuleFired {
    std::string rule;
    std::string event;  // "monitor.connected HDMI-A-1"
    std::string vm;
    std::string action;  // "start"
};

// The guest channel and idleness (docs/guest-channel.md). FindGuestChannel reads the socket path from the
// live domain XML (answered by GuestChannelPath); SampleCpu reads the VM's CPU time (answered by
// CpuSample); both run on the libvirt worker. The channel's reader reports Guest* events.
struct FindGuestChannel {
    std::string vm;
};
struct OpenGuestChannel {
    std::string vm;
    std::string path;
};
struct CloseGuestChannel {
    std::string vm;
};
struct SampleCpu {
    std::string vm;
};
struct PublishGuestHelper {
    std::string vm;
    std::string version;  // the helper's version after its hello; empty: none connected
};

// Lines for a guest helper that speaks protocol 2 (docs/guest-channel.md); the channel encodes
// them. GuestWelcome answers its hello (later versions add to it: it is an object on the wire).
struct GuestWelcome {
    int protocol = 2;
    // The chords of the hotkey rules this guest may fire (its own VM's, source "guest" or "any",
    // no keyboard `device`/`match`): the helper watches them and answers with `hotkey`.
    std::vector<std::vector<std::string>> hotkeys = {};
};
struct GuestStopPending {
    std::uint64_t deadline_us = 0;  // wall clock, µs since the epoch
    std::string action;             // "stop" or "force-stop"
    std::string reason;
};
struct GuestStopCancelled {};
using GuestNotice = std::variant<GuestWelcome, GuestStopPending, GuestStopCancelled>;
struct SendGuest {
    std::string vm;
    GuestNotice notice;
};
// A VM that held gpu devices stopped: read the release record hotseat-hook left for it
// (include/hotseat/release_record.h); answered by a GpuRelease event when there is one.
struct ReadReleaseRecord {
    std::string vm;
};

// A line for the journal. The core decides what is worth saying; the shell writes it.
struct Log {
    enum class Level { Debug, Info, Warning, Error };
    Level level = Level::Info;
    std::string message;
};

using Effect = std::variant<StartDomain, ShutdownDomain, DestroyDomain, HibernateDomain, WakeDomain, PublishVm,
                            PublishMonitors, PublishLibvirtConnected, PublishKeyboards, RuleFired, Log, AttachUsb,
                            DetachUsb, SetCpuWeight, SetVcpuQuota, SetBalloon, SuspendDomain, ResumeDomain,
                            WatchPressure, FindGuestChannel, OpenGuestChannel, CloseGuestChannel, SampleCpu,
                            PublishGuestHelper, SendGuest, PublishGpus, ReadReleaseRecord, WatchKeyboards>;
using Effects = std::vector<Effect>;

// The effects the libvirt adapter carries out on its worker thread, each with one function
// (supervisor/libvirt/effect_calls.cpp); the daemon hands exactly these to it.
using LibvirtEffect =
    std::variant<StartDomain, ShutdownDomain, DestroyDomain, HibernateDomain, WakeDomain, AttachUsb, DetachUsb,
                 SetCpuWeight, SetVcpuQuota, SetBalloon, SuspendDomain, ResumeDomain, FindGuestChannel, SampleCpu>;

}  // namespace hotseat
