#include "core/usb_device.h"

#include <algorithm>
#include <string_view>

namespace hotseat {
namespace {

const std::string* find(const std::map<std::string, std::string>& properties, const char* key) {
    auto it = properties.find(key);
    return it == properties.end() ? nullptr : &it->second;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// "46d", "046d", "046D" → "046d"; nothing for anything else.
std::optional<std::string> hex4(std::string_view text) {
    if (text.empty() || text.size() > 4 || !std::all_of(text.begin(), text.end(), is_hex)) return std::nullopt;
    std::string out(4 - text.size(), '0');
    for (char c : text) out += static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    return out;
}

// BUSNUM and DEVNUM are printed "%03d" by the kernel: 1-3 decimal digits.
std::optional<unsigned> number(const std::string* text, unsigned max) {
    if (!text || text->empty() || text->size() > 3 ||
        !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    unsigned value = static_cast<unsigned>(std::stoul(*text));
    if (value < 1 || value > max) return std::nullopt;
    return value;
}

struct Ids {
    std::optional<std::string> vendor, product;
};

Ids read_ids(const std::map<std::string, std::string>& properties) {
    const std::string* vendor = find(properties, "ID_VENDOR_ID");
    const std::string* product = find(properties, "ID_MODEL_ID");
    if (vendor && product) return {hex4(*vendor), hex4(*product)};
    // PRODUCT=46d/c52b/1200 (vendor/product/bcdDevice) comes from the kernel itself.
    const std::string* kernel = find(properties, "PRODUCT");
    if (!kernel) return {};
    std::string_view p(*kernel);
    auto first = p.find('/');
    auto second = first == std::string_view::npos ? first : p.find('/', first + 1);
    if (second == std::string_view::npos) return {};
    return {hex4(p.substr(0, first)), hex4(p.substr(first + 1, second - first - 1))};
}

}  // namespace

bool is_usb_device(const std::map<std::string, std::string>& properties) {
    const std::string* devtype = find(properties, "DEVTYPE");
    const std::string* subsystem = find(properties, "SUBSYSTEM");
    return devtype && *devtype == "usb_device" && (!subsystem || *subsystem == "usb");
}

UsbParse parse_usb_host_device(const std::map<std::string, std::string>& properties) {
    Ids ids = read_ids(properties);
    if (!ids.vendor || !ids.product)
        return {std::nullopt, "no valid vendor/product id (ID_VENDOR_ID/ID_MODEL_ID or PRODUCT)"};
    auto bus = number(find(properties, "BUSNUM"), kMaxUsbBus);
    if (!bus) return {std::nullopt, "BUSNUM missing or not a number from 1 to " + std::to_string(kMaxUsbBus)};
    auto device = number(find(properties, "DEVNUM"), kMaxUsbDevice);
    if (!device) return {std::nullopt, "DEVNUM missing or not a number from 1 to " + std::to_string(kMaxUsbDevice)};
    UsbHostDevice out;
    out.vendor = *ids.vendor;
    out.product = *ids.product;
    if (const std::string* serial = find(properties, "ID_SERIAL_SHORT")) out.serial = *serial;
    out.bus = *bus;
    out.device = *device;
    return {out, {}};
}

std::string describe(const UsbHostDevice& d) {
    return "usb " + d.vendor + ":" + d.product + " bus " + std::to_string(d.bus) + " dev " + std::to_string(d.device);
}

bool usb_matches(const UsbDeviceMatch& match, const UsbHostDevice& device) {
    return match.vendor == device.vendor && match.product == device.product &&
           (match.serial.empty() || match.serial == device.serial);
}

}  // namespace hotseat
