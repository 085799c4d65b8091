// The names of the enums: in the config file, on the bus, in log lines and in scenario files.
//
// Each enum has one table, its to_string(E): a switch with a case per enumerator and no
// `default:`, so that -Wswitch (an error in the presets) names an enumerator added without a
// name, and "unknown" after the switch for a value that is no enumerator. Parsing, listing the
// accepted names in a message and the scenario runner all read that one table through the
// templates below; a new enumerator is named in exactly one place.
//
// The enums these serve are plain `enum class` counted from 0 without gaps (no enumerator has an
// explicit value), which is what lets all_values walk them.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace hotseat {

// What every to_string(E) returns for a value that is no enumerator of E.
inline constexpr std::string_view kUnknownName = "unknown";

// Every enumerator of E in declaration order: 0, 1, ... up to the first value to_string(E) does
// not name. The bound only stops a runaway walk should an enum ever get explicit values.
template <typename E>
std::vector<E> all_values() {
    std::vector<E> out;
    for (int i = 0; i < 256; ++i) {
        auto value = static_cast<E>(i);
        if (to_string(value) == kUnknownName) break;
        out.push_back(value);
    }
    return out;
}

template <typename E>
std::vector<std::string_view> all_names() {
    std::vector<std::string_view> out;
    for (E value : all_values<E>()) out.push_back(to_string(value));
    return out;
}

// The enumerator of E named `name`, exactly (case and punctuation count).
template <typename E>
std::optional<E> from_name(std::string_view name) {
    for (E value : all_values<E>())
        if (to_string(value) == name) return value;
    return std::nullopt;
}

}  // namespace hotseat
