// One PCI device as sysfs shows it (/sys/bus/pci/devices/<address>): IDs and class, the driver
// bound now, and the attributes the GPU checks report (boot_vga, reset_method, runtime PM,
// driver_override, its DRM nodes). Plain glibc reads, so umockdev's test bed can stand in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotseat::ctl::doctor {

inline constexpr const char* kPciDevices = "/sys/bus/pci/devices";

struct PciDevice {
    std::string address;  // "0000:00:02.0"
    bool exists = false;
    std::optional<std::uint16_t> vendor;
    std::optional<std::uint16_t> device;
    std::string pci_class;         // "0x030000"
    std::string driver;            // the bound driver's name; empty when none
    std::string driver_override;   // empty when not set ("(null)" in sysfs)
    std::string boot_vga;          // "1", "0"; empty when the attribute is missing
    std::string reset_method;      // "flr bus" ...; empty when the attribute is missing
    std::string power_control;     // power/control: "auto" or "on"; empty when missing
    std::vector<std::string> drm;  // its DRM minors: "card0", "renderD128"

    bool display() const;         // class 0x03xxxx
    bool intel_display() const;   // an Intel display controller: QEMU's IGD rules apply
    std::string id_text() const;  // "8086:46d0", or "?" parts when unreadable
};

PciDevice read_pci_device(const std::string& address);

}  // namespace hotseat::ctl::doctor
