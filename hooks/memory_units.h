// libvirt's memory sizes: a number plus a unit ("6", "GiB"), as in <memory unit='GiB'>6</memory>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotseat::hook {

// Bytes, or nullopt (and why in *error) for an unknown unit, a bad number or an overflow.
// Units as libvirt reads them, case-insensitively: b/byte/bytes, KB MB GB TB PB EB (powers of
// 1000), k/KiB, M/MiB, G/GiB, T/TiB, P/PiB, E/EiB (powers of 1024).
std::optional<std::uint64_t> to_bytes(std::string_view number, std::string_view unit, std::string* error);

}  // namespace hotseat::hook
