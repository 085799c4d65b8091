// What the shell tells the engine. Every adapter translates its external thing into these plain
// values; the engine never sees a file descriptor, a libvirt handle or a clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hotseat/config.h"

namespace hotseat {

// Engine time: a monotonic clock for decisions (debounce, timeouts) plus the wall clock for what
// is published (StateChangedAt). Scenario tests set both by hand.
struct Now {
    std::int64_t mono_ms = 0;   // CLOCK_MONOTONIC, milliseconds
    std::uint64_t wall_us = 0;  // CLOCK_REALTIME, microseconds since the epoch
};

// A DRM connector's status as read from sysfs (`status` attribute). `initial` is set during the
// start-up enumeration: it records the state without firing rules (a restart of hotseatd must
// not boot a VM the user shut down while the monitor stayed plugged). `unknown` is the third
// status the kernel has: a connector registered but not probed yet (i915 re-adding its
// connectors after a VM gave the GPU back). It is "not known yet", never a plug or an unplug
// (hotseatd(8), hotseat.toml(5) under monitor.disconnected); `connected` is false with it.
struct ConnectorStatus {
    std::string card;       // "card0"
    std::string connector;  // "HDMI-A-1" (sysname without the "card0-" prefix)
    bool connected = false;
    bool initial = false;
    bool unknown = false;
};

// The connector's device node went away (driver unbind, e.g. the iGPU going to VFIO). Never an
// unplug (docs/design.md "Hardware facts" 1): it only drops the connector from what is published.
struct ConnectorRemoved {
    std::string card;
    std::string connector;
};

// A udev device event the rules may match (device.added / device.removed).
struct DeviceEvent {
    enum class Kind { Added, Removed };
    Kind kind = Kind::Added;
    std::string syspath;
    std::map<std::string, std::string> properties;  // udev properties (SUBSYSTEM, ID_VENDOR_ID ...)
    bool initial = false;
};

// A USB device as libvirt finds it on the host: ids from udev, bus and device number (BUSNUM,
// DEVNUM) validated by parse_usb_host_device (core) and again where the hostdev XML is built.
struct UsbHostDevice {
    std::string vendor;   // 4 lowercase hex digits, "046d"
    std::string product;  // 4 lowercase hex digits, "c52b"
    std::string serial;   // ID_SERIAL_SHORT; empty when the device has none
    unsigned bus = 0;     // 1-255
    unsigned device = 0;  // 1-127
    bool operator==(const UsbHostDevice&) const = default;
};

// A USB device itself (DEVTYPE=usb_device) got its driver (udev `bind`) or lost it (`unbind`),
// or a scan found it bound. Only a bound device is ready to be passed through: attaching on
// `add` races udev (docs/design.md "Hardware facts" 7). Never fires rules.
struct UsbDeviceBinding {
    bool bound = true;
    std::string syspath;
    std::map<std::string, std::string> properties;  // udev properties (BUSNUM, DEVNUM, ID_VENDOR_ID ...)
};

// A keyboard the input adapter opened (ID_INPUT_KEYBOARD=1), or one that went away. The
// properties are its udev properties (for a hotkey rule's `device` match).
struct KeyboardAdded {
    std::string node;  // "/dev/input/event7"
    std::string name;  // the kernel's device name
    std::map<std::string, std::string> properties;
};
struct KeyboardRemoved {
    std::string node;
};

// One key on one keyboard (EV_KEY), as libevdev delivered it.
struct KeyEvent {
    std::string node;
    std::uint16_t code = 0;  // KEY_* code
    std::int32_t value = 0;  // 0 released, 1 pressed, 2 autorepeat
};

// libvirt's view of one configured domain. Paused: QEMU exists and holds the hardware, its CPUs
// stopped (a user's `virsh suspend`, the governor, or a start cut off half-way). Suspended: the
// guest suspended itself to RAM (libvirt PMSUSPENDED); QEMU still holds its memory and devices.
enum class DomainRunState { Off, Running, Paused, Crashed, Suspended };
std::string_view to_string(DomainRunState state);  // "off", "running", ... (hotseat/names.h)

// Read at start-up and after every reconnect: the truth to adopt.
struct DomainSnapshot {
    std::string vm;
    bool exists = false;  // false: no such domain in libvirt
    DomainRunState state = DomainRunState::Off;
    // Paused with libvirt's reason "starting up": QEMU was created paused and never let run, as
    // when libvirtd died in the middle of a start. The engine decides what that means.
    bool paused_mid_start = false;
};

// A libvirt lifecycle event for a configured domain.
// Suspended: libvirt's PMSUSPENDED, with detail "memory" (the guest suspended itself to RAM) or
// "disk" (it entered S4: hibernating, about to power off). A wake-up is Started "wakeup".
struct DomainLifecycle {
    enum class Kind { Started, Stopped, Crashed, Suspended };
    std::string vm;
    Kind kind = Kind::Started;
    std::string detail;     // libvirt's detail in words: "booted", "shutdown", "destroyed", "crashed" ...
    bool by_guest = false;  // the guest powered itself off (SHUTDOWN/GUEST or STOPPED/SHUTDOWN unasked)
};

// What a blocking libvirt call on the worker thread returned.
// Hibernate: virDomainPMSuspendForDuration to disk (guest agent); Wakeup: virDomainPMWakeup.
enum class DomainOp { Start, Shutdown, Destroy, Hibernate, Wakeup };
std::string_view to_string(DomainOp op);  // "start", "shutdown", ... (hotseat/names.h)
struct DomainOpResult {
    std::string vm;
    DomainOp op = DomainOp::Start;
    bool ok = false;
    std::string error;  // libvirt's message when !ok
    // Hibernate only: the call failed, but the domain was already going down when it did (libvirt
    // loses the agent when a guest powers off after taking the request, instead of entering S4).
    bool guest_went_down = false;
};

// What an AttachUsb / DetachUsb (live, on the worker thread) returned.
enum class UsbOp { Attach, Detach };
std::string_view to_string(UsbOp op);  // "attach", "detach"
struct UsbOpResult {
    std::string vm;
    UsbOp op = UsbOp::Attach;
    std::string syspath;
    UsbHostDevice device;
    bool ok = false;
    std::string error;  // libvirt's message when !ok
};

struct LibvirtConnection {
    bool connected = false;
    std::string error;  // why it is not connected
};

// A request from outside (D-Bus method, hotseatctl). `origin` ends up in Reason.
struct Command {
    std::string vm;
    Action action = Action::Start;
    std::string origin;  // "dbus:Start uid=0"
};

// VM.Postpone (hotseatctl postpone): push a pending stop `seconds` from now; 0 cancels it.
struct PostponeRequest {
    std::string vm;
    std::uint32_t seconds = 0;
    std::string origin;  // "dbus:Postpone uid=0"
};

// A PSI trigger fired (governor): the host's services stalled on `resource` ("cpu", "memory")
// beyond the configured threshold within the window. The kernel reports at most once a window
// and has no "below" notice: calm is the absence of these for [governor] calm_s.
struct PressureStall {
    std::string resource;
};

// What a governor call on the worker thread returned.
enum class TuneOp { CpuWeight, VcpuQuota, Balloon, Suspend, Resume };
std::string_view to_string(TuneOp op);  // "cpu-weight", "vcpu-quota", ...
struct TuneResult {
    std::string vm;
    TuneOp op = TuneOp::CpuWeight;
    bool ok = false;
    std::string error;  // libvirt's message when !ok
    // What the knob was before the call, so that stepping down restores it: CpuWeight the
    // weight, VcpuQuota the quota (µs, negative: unlimited) and the period.
    std::optional<std::int64_t> previous;
    std::optional<std::int64_t> previous_period;
};

// The deadline the engine asked for (Engine::next_deadline) has come.
struct Tick {};

// The guest channel of a running VM (docs/guest-channel.md): where its socket is,
// what the guest helper said (already parsed and validated), and the connection ending.
struct GuestChannelPath {
    std::string vm;
    std::string path;   // the unix socket from the live domain XML; empty: no channel
    std::string error;  // why it could not be read
    // libvirt could not be asked (not connected, or the connection broke during the call): no
    // word about the channel at all, unlike a domain that has none.
    bool unanswered = false;
};
struct GuestHello {
    std::string vm;
    int protocol = 0;
    std::string helper_version;
};
struct GuestConnector {
    std::string vm;
    std::string card;       // the guest's "card0"
    std::string connector;  // "HDMI-A-1"
    bool connected = false;
    bool initial = false;  // found at helper start: recorded, never fires
};
struct GuestInput {
    std::string vm;
    std::uint32_t idle_ms = 0;  // the guest's last input was this long ago
};
struct GuestChannelClosed {
    std::string vm;
    std::string why;
};
// Protocol 2 (docs/guest-channel.md): the person at the desk asks to keep it (the helper's
// "Keep my desk"), and what holds the guest from going idle (audio playing, an idle inhibitor).
struct GuestPostpone {
    std::string vm;
    std::uint32_t seconds = 0;  // 1 .. a day, as parsed
};
struct GuestInhibit {
    std::string vm;
    bool active = false;
    std::string reason;  // when active: what holds idle, printable
};
// Protocol 2 (#18): a chord went down on one of the guest's keyboards. The guest is untrusted:
// the engine acts only on a chord it offered this VM (GuestWelcome::hotkeys).
struct GuestHotkey {
    std::string vm;
    std::vector<std::string> keys;  // evdev key names, as parsed (1 .. 8)
};

// The CPU time a running VM has used (virDomainGetInfo cpuTime), for idleness.
struct CpuSample {
    std::string vm;
    bool ok = false;
    std::uint64_t cpu_time_ns = 0;
    std::uint32_t vcpus = 0;
    std::string error;  // when !ok
};

// The driver bound to a configured gpu device now (`driver` empty: none, or the device is gone),
// as the udev adapter reads it from the device's `driver` link at start-up and on every PCI
// bind, unbind, add and remove uevent of that device.
struct GpuDriver {
    std::string address;  // "0000:00:02.0"
    std::string driver;   // "i915", "vfio-pci"; empty: none
    bool operator==(const GpuDriver&) const = default;
};

// What hotseat-hook found right after a VM's `release end` (its release record in the runtime
// directory, include/hotseat/release_record.h), read by the daemon once the VM has stopped: the
// driver each of the VM's gpu devices ended up with, and whether a frame-buffer console is bound.
struct GpuRelease {
    std::string vm;
    std::vector<GpuDriver> gpus;
    bool console_bound = false;
    bool operator==(const GpuRelease&) const = default;
};

using Event =
    std::variant<ConnectorStatus, ConnectorRemoved, DeviceEvent, KeyboardAdded, KeyboardRemoved, KeyEvent,
                 DomainSnapshot, DomainLifecycle, DomainOpResult, LibvirtConnection, Command, Tick, UsbDeviceBinding,
                 UsbOpResult, PressureStall, TuneResult, GuestChannelPath, GuestHello, GuestConnector, GuestInput,
                 GuestChannelClosed, CpuSample, GuestPostpone, GuestInhibit, GuestHotkey, GpuDriver, GpuRelease>;

}  // namespace hotseat
