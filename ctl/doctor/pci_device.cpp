#include "pci_device.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "option_rom.h"
#include "sysfs.h"

namespace hotseat::ctl::doctor {
namespace {

namespace sysfs = hook::sysfs;

std::string attribute(const std::string& path) {
    std::string error;
    return sysfs::read(path, &error).value_or("");
}

std::optional<std::uint16_t> hex_id(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    unsigned long value = std::strtoul(text.c_str(), &end, 16);
    if (!end || *end != '\0' || value > 0xffff) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::string link_name(const std::string& path) {
    char buffer[4096];
    ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer - 1);
    if (n <= 0) return "";
    std::string target(buffer, static_cast<std::size_t>(n));
    return target.substr(target.find_last_of('/') + 1);
}

}  // namespace

bool PciDevice::display() const { return pci_class.rfind("0x03", 0) == 0; }

bool PciDevice::intel_display() const { return vendor == 0x8086 && display(); }

std::string PciDevice::id_text() const {
    if (vendor && device) return pci_id_text(*vendor, *device);
    return "?:?";
}

PciDevice read_pci_device(const std::string& address) {
    PciDevice d;
    d.address = address;
    std::transform(d.address.begin(), d.address.end(), d.address.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const std::string dir = std::string(kPciDevices) + "/" + d.address;
    d.exists = sysfs::exists(dir);
    if (!d.exists) return d;
    d.vendor = hex_id(attribute(dir + "/vendor"));
    d.device = hex_id(attribute(dir + "/device"));
    d.pci_class = attribute(dir + "/class");
    std::transform(d.pci_class.begin(), d.pci_class.end(), d.pci_class.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    d.driver = link_name(dir + "/driver");
    d.driver_override = attribute(dir + "/driver_override");
    if (d.driver_override == "(null)") d.driver_override.clear();
    d.boot_vga = attribute(dir + "/boot_vga");
    d.reset_method = attribute(dir + "/reset_method");
    d.power_control = attribute(dir + "/power/control");
    for (const auto& entry : sysfs::list(dir + "/drm"))
        if (entry.name.rfind("card", 0) == 0 || entry.name.rfind("renderD", 0) == 0) {
            // card0-HDMI-A-1 are connectors, not minors; they live under card0 in the kernel.
            if (entry.name.find('-') == std::string::npos) d.drm.push_back(entry.name);
        }
    return d;
}

}  // namespace hotseat::ctl::doctor
