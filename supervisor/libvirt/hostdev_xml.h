// The libvirt device XML for passing one host USB device through (live attach/detach). Built
// from validated numbers only; anything else is refused rather than put into XML.
#pragma once

#include <optional>
#include <string>

#include "hotseat/events.h"

namespace hotseat::libvirt {

// <hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x046d'/>
// <product id='0xc52b'/><address bus='1' device='5'/></source></hostdev> (one line). Both the
// ids and the address: libvirt then takes exactly that device and checks it is the one meant.
// Nothing when an id is not 4 lowercase hex digits, bus not 1-255 or device not 1-127.
std::optional<std::string> usb_hostdev_xml(const UsbHostDevice& device);

// The part of a domain's live XML that says this host device is attached:
// "<address bus='1' device='5'/>" (libvirt's form for a USB hostdev source; guest-side and PCI
// addresses always carry a type attribute first).
std::string usb_source_address(const UsbHostDevice& device);

}  // namespace hotseat::libvirt
