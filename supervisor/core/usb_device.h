// USB passthrough in plain values: what a udev USB device is (validated), how it is named on the
// bus and in the log, and whether a [[vm]].usb entry wants it. Pure, no I/O.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hotseat/config.h"
#include "hotseat/events.h"

namespace hotseat {

inline constexpr unsigned kMaxUsbBus = 255;
inline constexpr unsigned kMaxUsbDevice = 127;  // USB addresses are 7 bits; 0 is unassigned

struct UsbParse {
    std::optional<UsbHostDevice> device;
    std::string why;  // when !device: what was wrong, for the log
};

// From a usb_device's udev properties: ID_VENDOR_ID/ID_MODEL_ID (or the kernel's PRODUCT when
// udev's usb_id has not run), ID_SERIAL_SHORT, BUSNUM and DEVNUM. Everything is checked: ids are
// 1-4 hex digits (normalised to 4 lowercase), numbers are decimal digits in range.
UsbParse parse_usb_host_device(const std::map<std::string, std::string>& properties);

// "usb 046d:c52b bus 1 dev 5": the VM's Devices entry and the log's name for it.
std::string describe(const UsbHostDevice& device);

bool usb_matches(const UsbDeviceMatch& match, const UsbHostDevice& device);

// The udev properties say this is a USB device itself, not an interface or anything else.
bool is_usb_device(const std::map<std::string, std::string>& properties);

}  // namespace hotseat
