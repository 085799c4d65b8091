#include "input/keyboard_filter.h"

#include <algorithm>
#include <cstring>

namespace hotseat::input {
namespace {

constexpr std::string_view kEvdevPrefix = "/dev/input/event";
// The kernel numbers evdev nodes below 1024 (EVDEV_MINORS dynamic range); anything longer than
// this is not a node the kernel made.
constexpr std::size_t kMaxNumberDigits = 6;

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_evdev_node(std::string_view devnode) {
    if (devnode.substr(0, kEvdevPrefix.size()) != kEvdevPrefix) return false;
    std::string_view number = devnode.substr(kEvdevPrefix.size());
    return number.size() <= kMaxNumberDigits && all_digits(number);
}

std::vector<unsigned char> code_bitmap(const std::vector<std::uint16_t>& codes, std::size_t bits) {
    constexpr std::size_t kLongBits = 8 * sizeof(unsigned long);
    std::vector<unsigned long> words((bits + kLongBits - 1) / kLongBits, 0);
    for (auto code : codes)
        if (code < bits) words[code / kLongBits] |= 1UL << (code % kLongBits);
    std::vector<unsigned char> out(words.size() * sizeof(unsigned long));
    if (!out.empty()) std::memcpy(out.data(), words.data(), out.size());
    return out;
}

bool is_keyboard(const Properties& properties, std::string_view devnode) {
    auto it = properties.find("ID_INPUT_KEYBOARD");
    return it != properties.end() && it->second == "1" && is_evdev_node(devnode);
}

}  // namespace hotseat::input
