// A device name as the kernel reports it (EVIOCGNAME) is whatever the USB descriptor said: any
// bytes. It ends up in a D-Bus string property (Manager.Keyboards), which must be valid UTF-8,
// and in log lines. This makes it safe for both.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hotseat::input {

inline constexpr std::size_t kMaxNameBytes = 255;  // the kernel's own limit for EVIOCGNAME

// Keeps valid UTF-8 and printable characters; every invalid byte or control character becomes
// '?'. Cut to kMaxNameBytes at a character boundary. An empty result reads "unnamed".
std::string printable_name(std::string_view raw);

}  // namespace hotseat::input
