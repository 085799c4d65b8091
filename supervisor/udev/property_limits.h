// Bounds on what one uevent may carry into the engine. A uevent is kernel- or udevd-made, but a
// rule or a buggy driver can still attach thousands of properties or huge values; the daemon
// copies them into every DeviceEvent, so it keeps a fixed ceiling instead of trusting them.
#pragma once

#include <cstddef>
#include <string_view>

#include "udev/uevent_rules.h"

namespace hotseat::udev {

// The largest uevent that reaches the daemon: libudev receives into an 8 KiB buffer
// (udev_monitor_receive_device). The uevent fuzzer is given inputs up to this size.
inline constexpr std::size_t kMaxUeventBytes = 8192;
inline constexpr std::size_t kMaxProperties = 128;
inline constexpr std::size_t kMaxPropertyBytes = 4096;  // per name and per value

// A property name or value within kMaxPropertyBytes: longer ones are left out, never cut.
inline bool fits_property_limit(std::string_view s) { return s.size() <= kMaxPropertyBytes; }

// Collects properties up to the limits and counts what it had to leave out.
class PropertyCollector {
public:
    void add(std::string_view name, std::string_view value);
    std::size_t dropped() const { return dropped_; }
    Properties take() { return std::move(properties_); }

private:
    Properties properties_;
    std::size_t dropped_ = 0;
};

}  // namespace hotseat::udev
