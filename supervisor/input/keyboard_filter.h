// Which input devices the input adapter reads (docs/design.md "Architecture"): the pure half, no libudev, no
// files, so that a unit test or a fuzzer can feed property maps straight in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hotseat::input {

using Properties = std::map<std::string, std::string>;

// "/dev/input/event7": an evdev node, not "/dev/input/mouse0", "js0" or "event7x".
bool is_evdev_node(std::string_view devnode);

// A keyboard to watch for hotkeys: udevd's input_id builtin marked it ID_INPUT_KEYBOARD=1 and it
// has an evdev node. Power buttons and media remotes (ID_INPUT_KEY=1 alone), mice and the
// node-less inputN parents are left alone.
bool is_keyboard(const Properties& properties, std::string_view devnode);

// The kernel's bitmap of `bits` bits (EVIOCSMASK, EVIOCGBIT): an array of unsigned longs, bit n
// in long n / BITS_PER_LONG, as the bytes the kernel copies. Codes at or above `bits` are left out.
std::vector<unsigned char> code_bitmap(const std::vector<std::uint16_t>& codes, std::size_t bits);

}  // namespace hotseat::input
