// Bounds on everything a config file controls, so that a hostile or broken file costs little
// memory and time. Each one is named in the error that enforces it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotseat::config {

inline constexpr std::size_t kMaxFileBytes = 1024 * 1024;
inline constexpr const char* kMaxFileBytesText = "1 MiB";
inline constexpr std::size_t kMaxStringBytes = 256;
inline constexpr std::size_t kMaxVms = 64;
inline constexpr std::size_t kMaxRules = 256;
inline constexpr std::size_t kMaxGpusPerVm = 16;
inline constexpr std::size_t kMaxUsbPerVm = 32;
inline constexpr std::size_t kMaxHotkeyKeys = 8;
inline constexpr std::size_t kMaxMatchProperties = 32;
inline constexpr std::int64_t kMaxHoldSeconds = 3600;  // [[rule]] hold_s
// Structure the TOML parser follows by recursion (toml++ builds one table per key part and frees
// them recursively: a 64 KB dotted key overflowed the stack). Checked by a pre-scan of the text
// before it is parsed (config/depth_scan.h). A real config uses 2 of each ([rule.match],
// usb = [{ ... }]).
inline constexpr std::size_t kMaxKeyParts = 16;             // parts of one dotted key: a.b.c is 3
inline constexpr std::size_t kMaxValueNesting = 16;         // arrays and inline tables inside each other
inline constexpr std::int64_t kMaxWarnSeconds = 600;        // [[vm]] warn_s
inline constexpr std::int64_t kMaxPostponeSeconds = 86400;  // [[vm]] max_postpone_s

}  // namespace hotseat::config
