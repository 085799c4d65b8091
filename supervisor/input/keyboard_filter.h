// Which input devices the input adapter reads (docs/design.md "Architecture"): the pure half, no libudev, no
// files, so that a unit test or a fuzzer can feed property maps straight in.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace hotseat::input {

using Properties = std::map<std::string, std::string>;

// "/dev/input/event7": an evdev node, not "/dev/input/mouse0", "js0" or "event7x".
bool is_evdev_node(std::string_view devnode);

// A keyboard to watch for hotkeys: udevd's input_id builtin marked it ID_INPUT_KEYBOARD=1 and it
// has an evdev node. Power buttons and media remotes (ID_INPUT_KEY=1 alone), mice and the
// node-less inputN parents are left alone.
bool is_keyboard(const Properties& properties, std::string_view devnode);

}  // namespace hotseat::input
