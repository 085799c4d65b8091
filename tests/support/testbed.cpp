#include "testbed.h"

#include <umockdev.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "process.h"

namespace hotseat::test {
namespace {

// Owns a g_malloc'ed string returned by umockdev.
std::string take_gstring(gchar* s) {
    if (!s) throw std::runtime_error("umockdev returned no path");
    std::string out(s);
    g_free(s);
    return out;
}

std::vector<const gchar*> flatten(const Testbed::Pairs& pairs) {
    std::vector<const gchar*> out;
    for (const auto& [name, value] : pairs) {
        out.push_back(name.c_str());
        out.push_back(value.c_str());
    }
    out.push_back(nullptr);
    return out;
}

std::string lower_hex4(const std::string& id, const char* what) {
    bool ok = id.size() == 4 && std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c); });
    if (!ok) throw std::invalid_argument(std::string(what) + " must be 4 hex digits, got '" + id + "'");
    std::string out = id;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The kernel's PRODUCT property prints the ids without leading zeros ("46d/c52b/1200").
std::string strip_zeros(const std::string& hex) {
    auto first = hex.find_first_not_of('0');
    return first == std::string::npos ? "0" : hex.substr(first);
}

void check_name(const std::string& name, const char* what, bool allow_dash) {
    bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [&](unsigned char c) {
        return std::isalnum(c) || (allow_dash && (c == '-' || c == '_' || c == '.'));
    });
    if (!ok) throw std::invalid_argument(std::string("invalid ") + what + " '" + name + "'");
}

std::string three_digits(int n) {
    std::string s = std::to_string(n);
    return std::string(s.size() < 3 ? 3 - s.size() : 0, '0') + s;
}

}  // namespace

Testbed::Testbed() {
    testbed_ = umockdev_testbed_new();
    root_ = take_gstring(umockdev_testbed_get_root_dir(testbed_));
    // Asked only now: umockdev caches the first answer, and it depends on $UMOCKDEV_DIR.
    if (!umockdev_in_mock_environment()) {
        g_object_unref(testbed_);
        throw std::runtime_error("not running under umockdev: start with LD_PRELOAD=libumockdev-preload.so.0");
    }
}

Testbed::~Testbed() { g_object_unref(testbed_); }

std::string Testbed::add_device(const std::string& subsystem, const std::string& name, const std::string& parent,
                                const Pairs& attributes, const Pairs& properties) {
    auto attrs = flatten(attributes);
    auto props = flatten(properties);
    return take_gstring(umockdev_testbed_add_devicev(testbed_, subsystem.c_str(), name.c_str(),
                                                     parent.empty() ? nullptr : parent.c_str(),
                                                     const_cast<gchar**>(attrs.data()),
                                                     const_cast<gchar**>(props.data())));
}

void Testbed::uevent(const std::string& syspath, const std::string& action) {
    umockdev_testbed_uevent(testbed_, syspath.c_str(), action.c_str());
}

void Testbed::add_intel_igpu() {
    if (has_igpu_) throw std::logic_error("the iGPU is already in the testbed");
    std::filesystem::create_directories(root_ + "/sys/bus/pci/drivers/i915");
    add_device("pci", "pci0000:00/0000:00:02.0", "",
               {{"vendor", "0x8086"}, {"device", "0x46d0"}, {"class", "0x030000"}, {"boot_vga", "1"}},
               {{"DRIVER", "i915"}, {"PCI_CLASS", "30000"}, {"PCI_ID", "8086:46D0"},
                {"PCI_SLOT_NAME", "0000:00:02.0"}});
    umockdev_testbed_set_attribute_link(testbed_, pci_syspath().c_str(), "driver", "../../../bus/pci/drivers/i915");
    add_device("drm", "drm/card0", pci_syspath(), {{"dev", "226:0"}},
               {{"DEVNAME", "/dev/dri/card0"}, {"DEVTYPE", "drm_minor"}, {"MAJOR", "226"}, {"MINOR", "0"}});
    has_igpu_ = true;
    add_connector("HDMI-A-1");
}

void Testbed::require_igpu() const {
    if (!has_igpu_) throw std::logic_error("add_intel_igpu() first");
}

std::string Testbed::connector_syspath(const std::string& connector) const {
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) throw std::invalid_argument("no connector " + connector);
    return it->second;
}

void Testbed::add_connector(const std::string& connector) {
    require_igpu();
    check_name(connector, "connector name", true);
    if (connectors_.count(connector)) throw std::invalid_argument("connector " + connector + " exists");
    std::string syspath = add_device("drm", "card0-" + connector, card_syspath(),
                                     {{"status", "disconnected"}, {"enabled", "disabled"}, {"dpms", "Off"}},
                                     {{"DEVTYPE", "drm_connector"}});
    connectors_[connector] = syspath;
}

void Testbed::set_connector_status(const std::string& connector, const std::string& status) {
    umockdev_testbed_set_attribute(testbed_, connector_syspath(connector).c_str(), "status", status.c_str());
}

void Testbed::send_hotplug() {
    require_igpu();
    // HOTPLUG=1 belongs to the uevent, not to the device: restore the uevent file afterwards so
    // later events of card0 do not carry it (umockdev sends what the file holds).
    std::string uevent_file = root_ + card_syspath() + "/uevent";
    std::string saved = read_file(uevent_file);
    umockdev_testbed_set_property(testbed_, card_syspath().c_str(), "HOTPLUG", "1");
    uevent(card_syspath(), "change");
    umockdev_testbed_set_attribute(testbed_, card_syspath().c_str(), "uevent", saved.c_str());
}

void Testbed::plug_monitor(const std::string& connector) {
    set_connector_status(connector, "connected");
    send_hotplug();
}

void Testbed::unplug_monitor(const std::string& connector) {
    set_connector_status(connector, "disconnected");
    send_hotplug();
}

void Testbed::remove_connector(const std::string& connector) {
    std::string syspath = connector_syspath(connector);
    uevent(syspath, "remove");
    umockdev_testbed_remove_device(testbed_, syspath.c_str());
    connectors_.erase(connector);
}

std::string Testbed::usb_syspath(const std::string& vendor, const std::string& product,
                                 const std::string& serial) const {
    auto it = usb_devices_.find({lower_hex4(vendor, "vendor"), lower_hex4(product, "product"), serial});
    if (it == usb_devices_.end()) throw std::invalid_argument("no USB device " + vendor + ":" + product + " " + serial);
    return it->second;
}

std::string Testbed::add_usb_device(const std::string& vendor_id, const std::string& product_id,
                                    const std::string& serial) {
    std::string vendor = lower_hex4(vendor_id, "vendor");
    std::string product = lower_hex4(product_id, "product");
    if (!serial.empty()) check_name(serial, "serial", true);
    UsbKey key{vendor, product, serial};
    if (usb_devices_.count(key)) throw std::invalid_argument("USB device " + vendor + ":" + product + " exists");
    // Every plug gets a new port and device number, as a replug gets a new DEVNUM from the kernel.
    int n = next_usb_port_++;
    Pairs attributes = {{"idVendor", vendor}, {"idProduct", product}, {"busnum", "1"},
                        {"devnum", std::to_string(n)}, {"bDeviceClass", "00"}};
    Pairs properties = {{"DEVTYPE", "usb_device"}, {"DRIVER", "usb"},
                        {"PRODUCT", strip_zeros(vendor) + "/" + strip_zeros(product) + "/100"},
                        {"TYPE", "0/0/0"}, {"BUSNUM", "001"}, {"DEVNUM", three_digits(n)},
                        {"ID_VENDOR_ID", vendor}, {"ID_MODEL_ID", product},
                        {"ID_SERIAL", vendor + "_" + product + (serial.empty() ? "" : "_" + serial)}};
    if (!serial.empty()) {
        attributes.emplace_back("serial", serial);
        properties.emplace_back("ID_SERIAL_SHORT", serial);
    }
    std::string name = "pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(n);
    std::string syspath = add_device("usb", name, "", attributes, properties);
    usb_devices_[key] = syspath;
    return syspath;
}

void Testbed::remove_usb_device(const std::string& vendor, const std::string& product, const std::string& serial,
                                bool announce) {
    std::string syspath = usb_syspath(vendor, product, serial);
    if (announce) uevent(syspath, "remove");
    umockdev_testbed_remove_device(testbed_, syspath.c_str());
    usb_devices_.erase({lower_hex4(vendor, "vendor"), lower_hex4(product, "product"), serial});
}

}  // namespace hotseat::test
