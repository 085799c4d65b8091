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
// umockdev itself sends the `add` uevent whenever a device is added (so every add_* below does),
// but no `remove` when one is removed.
#pragma once

#include <map>
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

    // Another connector of card0 ("DP-1"), disconnected, with its `add` uevent.
    void add_connector(const std::string& connector);
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

    // A USB device (DEVTYPE=usb_device) with idVendor/idProduct/serial attributes and the
    // properties udev's usb_id sets (ID_VENDOR_ID, ID_MODEL_ID, ID_SERIAL_SHORT ...); vendor and
    // product are 4 hex digits. No device node: without a udev database umockdev counts only
    // node-less devices as initialised, and hotseat enumerates initialised devices only.
    // Returns the syspath. Sends the `add` uevent.
    std::string add_usb_device(const std::string& vendor, const std::string& product,
                               const std::string& serial = "");
    // `announce` sends the `remove` uevent first; without it the device vanishes unseen, as
    // when the event was lost.
    void remove_usb_device(const std::string& vendor, const std::string& product,
                           const std::string& serial = "", bool announce = true);
    std::string usb_syspath(const std::string& vendor, const std::string& product,
                            const std::string& serial = "") const;  // throws if unknown

    // Any other device, for tests that need one (input devices ...), with its `add` uevent.
    // `parent` is a syspath or empty for a top-level device. Returns the syspath.
    std::string add_device(const std::string& subsystem, const std::string& name, const std::string& parent,
                           const Pairs& attributes, const Pairs& properties);
    void uevent(const std::string& syspath, const std::string& action);

private:
    using UsbKey = std::tuple<std::string, std::string, std::string>;

    void require_igpu() const;

    UMockdevTestbed* testbed_ = nullptr;
    std::string root_;
    bool has_igpu_ = false;
    std::map<std::string, std::string> connectors_;  // name → syspath
    std::map<UsbKey, std::string> usb_devices_;      // (vendor, product, serial) → syspath
    int next_usb_port_ = 1;
};

}  // namespace hotseat::test
