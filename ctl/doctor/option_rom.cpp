#include "option_rom.h"

#include <algorithm>
#include <cstdio>

namespace hotseat::ctl::doctor {
namespace {

constexpr std::size_t kMaxImages = 16;  // more than any real ROM; bounds a malformed chain

std::uint16_t word(std::string_view bytes, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                      (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

std::uint8_t byte(std::string_view bytes, std::size_t at) { return static_cast<unsigned char>(bytes[at]); }

std::string offset_text(std::size_t offset) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%zx", offset);
    return buffer;
}

}  // namespace

bool RomImage::supports(std::uint16_t v, std::uint16_t d) const {
    return vendor == v && (device == d || std::find(device_list.begin(), device_list.end(), d) != device_list.end());
}

OptionRom parse_option_rom(std::string_view bytes) {
    OptionRom rom;
    std::size_t start = 0;
    while (rom.images.size() < kMaxImages) {
        const std::string where = rom.images.empty() ? "" : " (image at " + offset_text(start) + ")";
        if (start + 0x1a > bytes.size() || byte(bytes, start) != 0x55 || byte(bytes, start + 1) != 0xaa) {
            rom.error = "no option ROM signature 55 AA" + where;
            break;
        }
        // Offsets inside one image are relative to its start (PCI Firmware Spec 3.0, 5.1).
        std::size_t pcir = start + word(bytes, start + 0x18);
        if (pcir + 0x18 > bytes.size() || bytes.substr(pcir, 4) != "PCIR") {
            rom.error = "no PCI Data Structure (PCIR)" + where;
            break;
        }
        RomImage image;
        image.vendor = word(bytes, pcir + 4);
        image.device = word(bytes, pcir + 6);
        image.code_type = byte(bytes, pcir + 0x14);
        std::uint16_t list = word(bytes, pcir + 8);  // reserved (0) before revision 3
        if (byte(bytes, pcir + 0x0c) >= 3 && list != 0) {
            for (std::size_t at = pcir + list; at + 2 <= bytes.size() && image.device_list.size() < 256; at += 2) {
                std::uint16_t id = word(bytes, at);
                if (id == 0) break;
                image.device_list.push_back(id);
            }
        }
        rom.images.push_back(image);
        std::size_t length = std::size_t{word(bytes, pcir + 0x10)} * 512;
        bool last = (byte(bytes, pcir + 0x15) & 0x80) != 0;
        if (last || length == 0 || start + length >= bytes.size()) break;
        start += length;
    }
    if (!rom.error.empty() && rom.images.empty()) return rom;
    rom.error.clear();  // a broken image after good ones: judge the good ones
    return rom;
}

std::string code_type_name(std::uint8_t code_type) {
    switch (code_type) {
        case 0: return "legacy x86 VBIOS";
        case 1: return "Open Firmware";
        case 2: return "PA-RISC";
        case 3: return "EFI";
    }
    return "code type " + std::to_string(code_type);
}

std::string pci_id_text(std::uint16_t vendor, std::uint16_t device) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04x:%04x", vendor, device);
    return buffer;
}

}  // namespace hotseat::ctl::doctor
