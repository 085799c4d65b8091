#include "libvirt/hostdev_xml.h"

#include <algorithm>

namespace hotseat::libvirt {
namespace {

bool is_id(const std::string& id) {
    return id.size() == 4 &&
           std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string usb_source_address(const UsbHostDevice& d) {
    return "<address bus='" + std::to_string(d.bus) + "' device='" + std::to_string(d.device) + "'/>";
}

std::optional<std::string> usb_hostdev_xml(const UsbHostDevice& d) {
    if (!is_id(d.vendor) || !is_id(d.product) || d.bus < 1 || d.bus > 255 || d.device < 1 || d.device > 127)
        return std::nullopt;
    return "<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x" + d.vendor +
           "'/><product id='0x" + d.product + "'/>" + usb_source_address(d) + "</source></hostdev>";
}

}  // namespace hotseat::libvirt
