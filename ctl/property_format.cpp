#include "property_format.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "time_text.h"

namespace hotseat::ctl {
namespace {

using StringPairs = std::vector<sdbus::Struct<std::string, std::string>>;
using PendingStopValue = sdbus::Struct<std::uint64_t, std::string, std::string>;
using StringTriples = std::vector<sdbus::Struct<std::string, std::string, std::string>>;

bool is_bare_word(const std::string& value) {
    if (value.empty()) return false;
    for (unsigned char c : value)
        if (c <= ' ' || c == '"' || c == '\\' || c == '\'' || c == '=' || c == ',' || c == '[' || c == ']' || c == 0x7f)
            return false;
    return true;
}

std::string list_text(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted_if_needed(items[i]);
    return out + "]";
}

std::string pairs_text(const StringPairs& pairs) {
    std::vector<std::string> items;
    for (const auto& p : pairs) items.push_back(quoted_if_needed(p.get<0>()) + " " + quoted_if_needed(p.get<1>()));
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out + "]";
}

// Gpus: (address, driver, holder) with "-" for an empty driver or holder.
std::string triples_text(const StringTriples& triples) {
    std::string out = "[";
    for (std::size_t i = 0; i < triples.size(); ++i) {
        const auto& t = triples[i];
        auto word = [](const std::string& s) { return s.empty() ? std::string("-") : quoted_if_needed(s); };
        out += (i ? ", " : "") + word(t.get<0>()) + " " + word(t.get<1>()) + " " + word(t.get<2>());
    }
    return out + "]";
}

std::vector<std::pair<std::string, std::string>> plain_pairs(const StringPairs& pairs) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : pairs) out.emplace_back(p.get<0>(), p.get<1>());
    return out;
}

template <typename T>
bool holds(const sdbus::Variant& value) {
    return value.containsValueOfType<T>();
}

}  // namespace

std::string quoted_if_needed(const std::string& value) {
    if (is_bare_word(value)) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string property_text(const std::string& name, const sdbus::Variant& value) {
    std::string text;
    if (name == "StateChangedAt" && holds<std::uint64_t>(value)) {
        auto us = value.get<std::uint64_t>();
        text = us == 0 ? "never" : quoted_if_needed(local_time_ms(us));
    } else if (holds<PendingStopValue>(value)) {
        auto p = value.get<PendingStopValue>();
        text = p.get<0>() == 0 ? "none"
                               : quoted_if_needed(p.get<1>() + " at " + local_time_ms(p.get<0>()) + ": " + p.get<2>());
    } else if (holds<std::string>(value)) {
        text = quoted_if_needed(value.get<std::string>());
    } else if (holds<sdbus::ObjectPath>(value)) {
        text = quoted_if_needed(value.get<sdbus::ObjectPath>());
    } else if (holds<bool>(value)) {
        text = value.get<bool>() ? "true" : "false";
    } else if (holds<std::uint64_t>(value)) {
        text = std::to_string(value.get<std::uint64_t>());
    } else if (holds<std::vector<std::string>>(value)) {
        text = list_text(value.get<std::vector<std::string>>());
    } else if (holds<std::vector<sdbus::ObjectPath>>(value)) {
        auto paths = value.get<std::vector<sdbus::ObjectPath>>();
        text = list_text(std::vector<std::string>(paths.begin(), paths.end()));
    } else if (holds<StringPairs>(value)) {
        text = pairs_text(value.get<StringPairs>());
    } else if (holds<StringTriples>(value)) {
        text = triples_text(value.get<StringTriples>());
    } else {
        text = "<" + std::string(value.peekValueType()) + ">";  // 1.x: std::string, 2.x: const char*
    }
    return name + "=" + text;
}

Json property_json(const std::string& name, const sdbus::Variant& value) {
    if (name == "StateChangedAt" && holds<std::uint64_t>(value)) return time_json(value.get<std::uint64_t>());
    if (holds<std::string>(value)) return value.get<std::string>();
    if (holds<PendingStopValue>(value)) {
        auto p = value.get<PendingStopValue>();
        return pending_stop_json(p.get<0>(), p.get<1>(), p.get<2>());
    }
    if (holds<sdbus::ObjectPath>(value)) return std::string(value.get<sdbus::ObjectPath>());
    if (holds<bool>(value)) return value.get<bool>();
    if (holds<std::uint64_t>(value)) return value.get<std::uint64_t>();
    if (holds<std::vector<std::string>>(value)) return value.get<std::vector<std::string>>();
    if (holds<std::vector<sdbus::ObjectPath>>(value)) {
        auto paths = value.get<std::vector<sdbus::ObjectPath>>();
        return std::vector<std::string>(paths.begin(), paths.end());
    }
    if (holds<StringPairs>(value)) {
        auto pairs = plain_pairs(value.get<StringPairs>());
        if (name == "Monitors") return pairs_json(pairs, "connector", "status");
        if (name == "Keyboards") return pairs_json(pairs, "node", "name");
        return pairs_json(pairs, "first", "second");
    }
    if (holds<StringTriples>(value)) {
        std::vector<GpuSnapshot> gpus;
        for (const auto& t : value.get<StringTriples>())
            gpus.push_back(GpuSnapshot{t.get<0>(), t.get<1>(), t.get<2>()});
        return gpus_json(gpus);  // a(sss) is Gpus alone so far
    }
    return Json{{"unsupported_type", std::string(value.peekValueType())}};
}

}  // namespace hotseat::ctl
