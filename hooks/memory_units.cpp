#include "memory_units.h"

#include <cctype>
#include <charconv>
#include <limits>

namespace hotseat::hook {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The multiplier of a unit, 0 when the unit is unknown.
std::uint64_t multiplier(std::string_view unit_text) {
    std::string unit = lower(unit_text);
    if (unit == "b" || unit == "byte" || unit == "bytes") return 1;
    const std::string prefixes = "kmgtpe";
    if (unit.empty()) return 0;
    auto power = prefixes.find(unit[0]);
    if (power == std::string::npos) return 0;
    std::string_view rest = std::string_view(unit).substr(1);
    std::uint64_t base;
    if (rest.empty() || rest == "ib")
        base = 1024;
    else if (rest == "b")
        base = 1000;
    else
        return 0;
    std::uint64_t value = 1;
    for (std::size_t i = 0; i <= power; ++i) value *= base;
    return value;
}

}  // namespace

std::optional<std::uint64_t> to_bytes(std::string_view number, std::string_view unit, std::string* error) {
    std::uint64_t factor = multiplier(unit);
    if (factor == 0) {
        *error = "unknown memory unit '" + std::string(unit) + "'";
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const char* end = number.data() + number.size();
    auto [stop, ec] = std::from_chars(number.data(), end, value);
    if (number.empty() || ec != std::errc() || stop != end) {
        *error = "'" + std::string(number) + "' is not a memory size";
        return std::nullopt;
    }
    if (value > std::numeric_limits<std::uint64_t>::max() / factor) {
        *error = std::string(number) + " " + std::string(unit) + " is too large";
        return std::nullopt;
    }
    return value * factor;
}

}  // namespace hotseat::hook
