#include "protocol.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hotseat::guest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxName = 64;
constexpr std::uint32_t kMaxIdleMs = 7 * 24 * 3600 * 1000u;  // a week; more means "long ago"

// Card and connector names as the kernel writes them ("card0", "HDMI-A-1", "DP-2").
bool is_name(const std::string& s) {
    return !s.empty() && s.size() <= kMaxName && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_' || c == '.';
    });
}

bool is_printable(const std::string& s) {
    return s.size() <= kMaxName &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

ParseResult error(std::string why) { return ParseResult{std::nullopt, std::move(why)}; }

const json* field(const json& j, const char* key) {
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

ParseResult hello(const json& j) {
    const json* protocol = field(j, "protocol");
    const json* helper = field(j, "helper");
    if (!protocol || !protocol->is_number_integer()) return error("hello: \"protocol\" must be an integer");
    auto version = protocol->get<std::int64_t>();
    if (version < 1 || version > 1000) return error("hello: protocol " + std::to_string(version) + " out of range");
    if (!helper || !helper->is_string() || !is_printable(helper->get<std::string>()))
        return error("hello: \"helper\" must be a printable string of at most 64 bytes");
    return ParseResult{Hello{static_cast<int>(version), helper->get<std::string>()}, {}};
}

ParseResult connector(const json& j) {
    const json* card = field(j, "card");
    const json* name = field(j, "connector");
    const json* status = field(j, "status");
    if (!card || !card->is_string() || !is_name(card->get<std::string>()))
        return error("connector: \"card\" must be a name like card0");
    if (!name || !name->is_string() || !is_name(name->get<std::string>()))
        return error("connector: \"connector\" must be a name like HDMI-A-1");
    if (!status || !status->is_string() ||
        (status->get<std::string>() != "connected" && status->get<std::string>() != "disconnected"))
        return error("connector: \"status\" must be connected or disconnected");
    const json* initial = field(j, "initial");
    if (initial && !initial->is_boolean()) return error("connector: \"initial\" must be a boolean");
    return ParseResult{Connector{card->get<std::string>(), name->get<std::string>(),
                                 status->get<std::string>() == "connected", initial && initial->get<bool>()},
                       {}};
}

ParseResult input(const json& j) {
    const json* idle = field(j, "idle_ms");
    if (!idle || !idle->is_number_integer() || idle->get<std::int64_t>() < 0)
        return error("input: \"idle_ms\" must be a non-negative integer");
    auto ms = std::min<std::int64_t>(idle->get<std::int64_t>(), kMaxIdleMs);
    return ParseResult{Input{static_cast<std::uint32_t>(ms)}, {}};
}

}  // namespace

ParseResult parse_line(std::string_view line) {
    if (line.size() > kMaxLineBytes) return error("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // No exceptions (a guest must not be able to unwind the daemon), and a small depth: the
    // parser's own recursion is bounded by the line length, which is bounded above.
    json j = json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded()) return error("not JSON");
    if (!j.is_object()) return error("not a JSON object");
    const json* type = field(j, "type");
    if (!type || !type->is_string()) return error("no \"type\" string");
    const auto& t = type->get_ref<const std::string&>();
    if (t == "hello") return hello(j);
    if (t == "connector") return connector(j);
    if (t == "input") return input(j);
    return ParseResult{Unknown{is_printable(t) ? t : std::string("(unprintable)")}, {}};
}

std::string encode(const Message& message) {
    json j = std::visit(
        [](const auto& m) -> json {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Hello>)
                return {{"type", "hello"}, {"protocol", m.protocol}, {"helper", m.helper_version}};
            else if constexpr (std::is_same_v<T, Connector>) {
                json c = {{"type", "connector"},
                          {"card", m.card},
                          {"connector", m.connector},
                          {"status", m.connected ? "connected" : "disconnected"}};
                if (m.initial) c["initial"] = true;
                return c;
            } else if constexpr (std::is_same_v<T, Input>)
                return {{"type", "input"}, {"idle_ms", m.idle_ms}};
            else
                return {{"type", m.type}};
        },
        message);
    return j.dump(-1, ' ', true, json::error_handler_t::replace) + "\n";
}

}  // namespace hotseat::guest
