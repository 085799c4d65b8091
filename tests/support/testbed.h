// Emulated hardware for tests, benchmarks and the demo: a umockdev testbed (sysfs tree plus
// uevents) holding the reference machine's Intel iGPU with its DRM connectors, and USB devices.
//
// The process must run under libumockdev-preload (LD_PRELOAD=libumockdev-preload.so.0): umockdev
// resolves every /sys path, its own included, through the testbed. Only one Testbed may exist
// per process (umockdev sets $UMOCKDEV_DIR for the whole process). Create it before any udev
// monitor: the monitor's socket must be made after $UMOCKDEV_DIR is set.
//
// Each uevent is delivered to every listening monitor at once. A listener holding about ten
// unread uevents makes umockdev's sender fail, so send one, wait for its effect, send the next.
// umockdev itself sends the `add` uevent whenever a device is added (so every add_* below does).
// umockdev 0.18.4 and later also send `remove` (for the device and each child device) when one
// is removed, older ones send none: remove_device() sends it exactly once on either.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

typedef struct _UMockdevTestbed UMockdevTestbed;

namespace hotseat::test {

class Testbed {
public:
    using Pairs = std::vector<std::pair<std::string, std::string>>;

    // Throws std::runtime_error when the process is not running under libumockdev-preload.
    Testbed();
    ~Testbed();  // removes the testbed directory and unsets $UMOCKDEV_DIR
    Testbed(const Testbed&) = delete;
    Testbed& operator=(const Testbed&) = delete;

    const std::string& root() const { return root_; }  // the $UMOCKDEV_DIR value
    UMockdevTestbed* raw() const { return testbed_; }

    // PCI 0000:00:02.0 (8086, VGA class, driver i915, boot_vga 1), its DRM card card0
    // (DEVTYPE=drm_minor, /dev/dri/card0) and connector card0-HDMI-A-1 (disconnected). Call it
    // before starting monitors, as the machine is at boot: umockdev sends three `add` uevents.
    // The card has a device node, so (no udev database) it is not "initialised": enumerations
    // with udev_enumerate_add_match_is_initialized skip the card itself, never its connectors.
    void add_intel_igpu();
    std::string pci_syspath() const { return "/sys/devices/pci0000:00/0000:00:02.0"; }
    std::string card_syspath() const { return pci_syspath() + "/drm/card0"; }
    std::string connector_syspath(const std::string& connector) const;  // throws if unknown

    // Another connector of card0 ("DP-1"), disconnected unless `status` says otherwise ("unknown":
    // as i915 registers a connector before its first probe), with its `add` uevent. A connector
    // removed with remove_connector() may be added again (the GPU coming back from a VM).
    void add_connector(const std::string& connector, const std::string& status = "disconnected");
    // The `status` attribute alone ("connected", "disconnected", "unknown"): no uevent, as when
    // the event was lost.
    void set_connector_status(const std::string& connector, const std::string& status);
    // A `change` uevent on card0 carrying HOTPLUG=1, as i915 sends on any hotplug.
    void send_hotplug();
    // set_connector_status() + send_hotplug().
    void plug_monitor(const std::string& connector);
    void unplug_monitor(const std::string& connector);
    // The connector's `remove` uevent (what an i915 unbind sends), then the device goes.
    void remove_connector(const std::string& connector);
    // The kernel binding the iGPU to `driver` ("vfio-pci", "i915"), or unbinding it (empty): the
    // driver link repointed or removed, DRIVER set, then the `bind` or `unbind` uevent.
    void set_igpu_driver(const std::string& driver);

    // A USB device (DEVTYPE=usb_device) with idVendor/idProduct/serial attributes and the
    // properties udev's usb_id sets (ID_VENDOR_ID, ID_MODEL_ID, ID_SERIAL_SHORT ...); vendor and
    // product are 4 hex digits. No device node: without a udev database umockdev counts only
    // node-less devices as initialised, and hotseat enumerates initialised devices only.
    // Returns the syspath. Sends the `add` uevent.
    std::string add_usb_device(const std::string& vendor, const std::string& product, const std::string& serial = "");
    // `announce` sends the `remove` uevent first; without it the device vanishes unseen, as
    // when the event was lost. umockdev >= 0.18.4 always sends `remove` itself, so there a test
    // of a lost event must drop the queued uevents unread (as ResyncReportsWhatChangedUnseen).
    void remove_usb_device(const std::string& vendor, const std::string& product, const std::string& serial = "",
                           bool announce = true);
    std::string usb_syspath(const std::string& vendor, const std::string& product,
                            const std::string& serial = "") const;  // throws if unknown

    // Any other device, for tests that need one (input devices ...), with its `add` uevent.
    // `parent` is a syspath or empty for a top-level device. Returns the syspath.
    std::string add_device(const std::string& subsystem, const std::string& name, const std::string& parent,
                           const Pairs& attributes, const Pairs& properties);
    void uevent(const std::string& syspath, const std::string& action);

    // ---- evdev input devices (docs/testing.md "sysfs, uevents and keyboards: umockdev") ----
    // /dev/input/event<N> is a umockdev pty whose ioctls are answered from a tree generated here
    // (every request libevdev makes while opening; EVIOCGKEY reads "no key held", so after a
    // SYN_DROPPED every held key reads released). The tree is in place before the `add` uevent,
    // so a reader woken by the uevent can open the node at once. Each add_* sends two `add`
    // uevents: the inputN parent (no node), then the event node. A node number can be used once
    // per testbed: umockdev keeps the pty of a removed device.
    struct InputEvent {
        std::uint16_t type = 0;
        std::uint16_t code = 0;
        std::int32_t value = 0;
    };

    static std::string input_node(int node_number);  // "/dev/input/event<N>"

    // A USB keyboard named `name` (the kernel's name: any bytes but NUL, answered as such by
    // EVIOCGNAME) with the udev properties input_id sets (ID_INPUT_KEYBOARD=1 ...); `properties`
    // are added to those of the event node or replace them. Returns the event node's syspath.
    std::string add_keyboard(int node_number, const std::string& name, const Pairs& properties = {});
    // A mouse (ID_INPUT_MOUSE=1, relative axes, three buttons): an input device with an evdev
    // node that is not a keyboard.
    std::string add_mouse(int node_number, const std::string& name);
    // One key event plus SYN_REPORT written in a single write(2), so a reader sees both or neither.
    void press_key(int node_number, std::uint16_t code, std::int32_t value);
    // Raw events in a single write(2), e.g. {EV_SYN, SYN_DROPPED, 0}.
    void write_input_events(int node_number, const std::vector<InputEvent>& events);
    // Unplug: the `remove` uevents (event node, then the inputN parent), then both devices go.
    void remove_keyboard(int node_number);
    // The device vanishes under a reader without any uevent: the pty hangs up, so a reader sees
    // POLLHUP and end-of-file (a real evdev node gives POLLHUP|POLLERR and ENODEV).
    void hang_up_input_device(int node_number);
    // chmod of the device node as udevd would set it (e.g. 0 to make open(2) fail with EACCES
    // for a caller without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH).
    void set_input_node_mode(int node_number, unsigned mode);

    // EVIOCSMASK, the kernel's per-reader event mask: umockdev's ioctl trees cannot hold this
    // request, so the testbed answers it itself (success, or EINVAL as a kernel before 4.4 does
    // after refuse_evdev_masks(true)) and records every one, in order, from any process using
    // this testbed. umockdev does not filter: the pty still delivers every event written.
    struct EvdevMask {
        std::string node;                 // "/dev/input/event7"
        unsigned type = 0;                // EV_KEY; 0 (EV_SYN) is the mask of event types
        std::vector<unsigned char> bits;  // the bitmap as passed (codes_size bytes)
        bool has(unsigned code) const { return code / 8 < bits.size() && (bits[code / 8] >> (code % 8)) & 1; }
        std::vector<unsigned> codes() const;  // every bit set
    };
    std::vector<EvdevMask> evdev_masks() const;
    void refuse_evdev_masks(bool refuse);
    struct MaskRecorder;  // what umockdev's ioctl thread records (testbed.cpp)

private:
    using UsbKey = std::tuple<std::string, std::string, std::string>;

    void require_igpu() const;
    // umockdev_testbed_remove_device() with one `remove` uevent first when `announce`, whatever
    // the umockdev version (see the top of this file).
    void remove_device(const std::string& syspath, bool announce);

    UMockdevTestbed* testbed_ = nullptr;
    std::string root_;
    bool has_igpu_ = false;
    std::map<std::string, std::string> connectors_;  // name → syspath
    std::map<UsbKey, std::string> usb_devices_;      // (vendor, product, serial) → syspath
    int next_usb_port_ = 1;

    struct InputDeviceEntry {
        std::string parent_syspath;
        std::string syspath;
    };
    // Closes the fds it holds when the testbed goes.
    struct HeldFds {
        HeldFds() = default;
        HeldFds(const HeldFds&) = delete;
        HeldFds& operator=(const HeldFds&) = delete;
        ~HeldFds();
        std::vector<int> fds;
    };
    enum class InputKind { Keyboard, Mouse };
    std::string add_input_device(int node_number, const std::string& name, InputKind kind, const Pairs& properties);
    const InputDeviceEntry& input_device(int node_number) const;  // throws if unknown

    std::map<int, InputDeviceEntry> input_devices_;  // node number → devices
    std::set<int> used_input_numbers_;
    HeldFds held_pty_peers_;  // hung-up ptys stay reserved so umockdev never reuses their number

    // Shared with umockdev's ioctl thread (which may outlive a client's last request).
    std::shared_ptr<MaskRecorder> masks_;
    unsigned long mask_hook_ = 0;
    void* ioctl_base_class_ = nullptr;
};

}  // namespace hotseat::test
