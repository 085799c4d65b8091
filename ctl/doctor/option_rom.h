// A PCI option ROM file, as the PCI Firmware Specification lays it out: a chain of images, each
// starting with the signature 55 AA and pointing (at offset 0x18) to its PCI Data Structure
// ("PCIR": vendor and device ID, PCI 3.0's device list, code type, image length, last-image
// flag). QEMU hands a <rom file=...> to the guest as the device's ROM BAR as it is, and the
// guest firmware dispatches only images written for that vendor and device (QEMU
// docs/igd-assign.txt builds them with EfiRom -f <vendor> -i <device>).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotseat::ctl::doctor {

inline constexpr std::size_t kMaxOptionRomBytes = 16 * 1024 * 1024;  // a ROM BAR maps at most 16 MiB

struct RomImage {
    std::uint16_t vendor = 0;
    std::uint16_t device = 0;
    std::vector<std::uint16_t> device_list;  // PCI 3.0: more device IDs the image supports
    std::uint8_t code_type = 0;              // 0 x86 BIOS, 3 EFI ...

    bool supports(std::uint16_t vendor, std::uint16_t device) const;
};

struct OptionRom {
    std::vector<RomImage> images;  // in order; empty when `error` says why
    std::string error;
};

OptionRom parse_option_rom(std::string_view bytes);

// "EFI", "legacy x86" ... for messages.
std::string code_type_name(std::uint8_t code_type);

// "8086:46d0"
std::string pci_id_text(std::uint16_t vendor, std::uint16_t device);

}  // namespace hotseat::ctl::doctor
