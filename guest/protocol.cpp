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
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
}

bool is_printable(const std::string& s, std::size_t max = kMaxName) {
    return s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// A reason said to a person: UTF-8 is welcome (a player's name), control characters are not.
bool is_reason(const std::string& s, std::size_t max) {
    return !s.empty() && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
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

ParseResult postpone(const json& j) {
    const json* seconds = field(j, "seconds");
    if (!seconds || !seconds->is_number_integer() || seconds->get<std::int64_t>() < 1 ||
        seconds->get<std::int64_t>() > kMaxPostponeSeconds)
        return error("postpone: \"seconds\" must be an integer from 1 to " + std::to_string(kMaxPostponeSeconds));
    return ParseResult{Postpone{static_cast<std::uint32_t>(seconds->get<std::int64_t>())}, {}};
}

ParseResult inhibit(const json& j) {
    const json* active = field(j, "active");
    if (!active || !active->is_boolean()) return error("inhibit: \"active\" must be a boolean");
    if (!active->get<bool>()) return ParseResult{Inhibit{false, {}}, {}};
    const json* reason = field(j, "reason");
    if (!reason || !reason->is_string() || !is_reason(reason->get<std::string>(), kMaxReasonBytes))
        return error("inhibit: \"reason\" must be a string of 1 to " + std::to_string(kMaxReasonBytes) +
                     " bytes without control characters");
    return ParseResult{Inhibit{true, reason->get<std::string>()}, {}};
}

// An evdev key name as libevdev spells it ("KEY_LEFTMETA", "BTN_SIDE"): what a chord is made of.
bool is_key_name(const std::string& s) {
    return !s.empty() && s.size() <= kMaxName && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// A chord on the wire: an array of 1 .. kMaxChordKeys key names.
std::optional<std::vector<std::string>> chord(const json* keys) {
    if (!keys || !keys->is_array() || keys->empty() || keys->size() > kMaxChordKeys) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& k : *keys) {
        if (!k.is_string() || !is_key_name(k.get<std::string>())) return std::nullopt;
        out.push_back(k.get<std::string>());
    }
    return out;
}

ParseResult hotkey(const json& j) {
    auto keys = chord(field(j, "keys"));
    if (!keys)
        return error("hotkey: \"keys\" must be an array of 1 to " + std::to_string(kMaxChordKeys) +
                     " key names like KEY_LEFTMETA");
    return ParseResult{Hotkey{std::move(*keys)}, {}};
}

ParseResult input(const json& j) {
    const json* idle = field(j, "idle_ms");
    if (!idle || !idle->is_number_integer() || idle->get<std::int64_t>() < 0)
        return error("input: \"idle_ms\" must be a non-negative integer");
    auto ms = std::min<std::int64_t>(idle->get<std::int64_t>(), kMaxIdleMs);
    return ParseResult{Input{static_cast<std::uint32_t>(ms)}, {}};
}

// The object of one line and its type, or why there is none.
struct Envelope {
    json object;
    std::string type;
    std::string error;
};

Envelope open_line(std::string_view line) {
    if (line.size() > kMaxLineBytes) return {{}, {}, "line longer than " + std::to_string(kMaxLineBytes) + " bytes"};
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // No exceptions (a guest must not be able to unwind the daemon), and a small depth: the
    // parser's own recursion is bounded by the line length, which is bounded above.
    json j = json::parse(line.begin(), line.end(), nullptr, false);
    if (j.is_discarded()) return {{}, {}, "not JSON"};
    if (!j.is_object()) return {{}, {}, "not a JSON object"};
    const json* type = field(j, "type");
    if (!type || !type->is_string()) return {{}, {}, "no \"type\" string"};
    std::string t = type->get<std::string>();
    return {std::move(j), std::move(t), {}};
}

std::string printable_type(const std::string& t) { return is_printable(t) ? t : std::string("(unprintable)"); }

HostParseResult host_error(std::string why) { return HostParseResult{std::nullopt, std::move(why)}; }

HostParseResult host_hello(const json& j) {
    const json* protocol = field(j, "protocol");
    const json* host = field(j, "host");
    if (!protocol || !protocol->is_number_integer() || protocol->get<std::int64_t>() < 1 ||
        protocol->get<std::int64_t>() > 1000)
        return host_error("hello: \"protocol\" must be an integer from 1 to 1000");
    if (!host || !host->is_string() || !is_printable(host->get<std::string>()))
        return host_error("hello: \"host\" must be a printable string of at most 64 bytes");
    HostHello out{static_cast<int>(protocol->get<std::int64_t>()), host->get<std::string>(), {}};
    if (const json* hotkeys = field(j, "hotkeys")) {
        if (!hotkeys->is_array() || hotkeys->size() > kMaxHotkeys)
            return host_error("hello: \"hotkeys\" must be an array of at most " + std::to_string(kMaxHotkeys) +
                              " chords");
        for (const auto& c : *hotkeys) {
            auto keys = chord(&c);
            if (!keys)
                return host_error("hello: each of \"hotkeys\" must be an array of 1 to " +
                                  std::to_string(kMaxChordKeys) + " key names");
            out.hotkeys.push_back(std::move(*keys));
        }
    }
    return HostParseResult{std::move(out), {}};
}

HostParseResult stop_pending(const json& j) {
    const json* deadline = field(j, "deadline_us");
    const json* in_ms = field(j, "in_ms");
    const json* action = field(j, "action");
    const json* reason = field(j, "reason");
    if (!deadline || !deadline->is_number_unsigned())
        return host_error("stop-pending: \"deadline_us\" must be a non-negative integer");
    if (!in_ms || !in_ms->is_number_unsigned())
        return host_error("stop-pending: \"in_ms\" must be a non-negative integer");
    if (!action || !action->is_string() ||
        (action->get<std::string>() != "stop" && action->get<std::string>() != "force-stop" &&
         action->get<std::string>() != "hibernate"))
        return host_error("stop-pending: \"action\" must be stop, force-stop or hibernate");
    if (!reason || !reason->is_string() || !is_reason(reason->get<std::string>(), 2 * kMaxReasonBytes))
        return host_error("stop-pending: \"reason\" must be a string of 1 to " + std::to_string(2 * kMaxReasonBytes) +
                          " bytes without control characters");
    return HostParseResult{StopPending{deadline->get<std::uint64_t>(), in_ms->get<std::uint64_t>(),
                                       action->get<std::string>(), reason->get<std::string>()},
                           {}};
}

}  // namespace

ParseResult parse_line(std::string_view line) {
    Envelope e = open_line(line);
    if (!e.error.empty()) return error(e.error);
    if (e.type == "hello") return hello(e.object);
    if (e.type == "connector") return connector(e.object);
    if (e.type == "input") return input(e.object);
    if (e.type == "postpone") return postpone(e.object);
    if (e.type == "inhibit") return inhibit(e.object);
    if (e.type == "hotkey") return hotkey(e.object);
    return ParseResult{Unknown{printable_type(e.type)}, {}};
}

HostParseResult parse_host_line(std::string_view line) {
    Envelope e = open_line(line);
    if (!e.error.empty()) return host_error(e.error);
    if (e.type == "hello") return host_hello(e.object);
    if (e.type == "stop-pending") return stop_pending(e.object);
    if (e.type == "stop-cancelled") return HostParseResult{StopCancelled{}, {}};
    return HostParseResult{Unknown{printable_type(e.type)}, {}};
}

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', true, json::error_handler_t::replace) + "\n"; }

}  // namespace

std::string encode_host(const HostMessage& message) {
    json j = std::visit(
        [](const auto& m) -> json {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, HostHello>) {
                json h = {{"type", "hello"}, {"protocol", m.protocol}, {"host", m.host_version}};
                if (!m.hotkeys.empty()) h["hotkeys"] = m.hotkeys;
                return h;
            } else if constexpr (std::is_same_v<T, StopPending>)
                return {{"type", "stop-pending"},
                        {"deadline_us", m.deadline_us},
                        {"in_ms", m.in_ms},
                        {"action", m.action},
                        {"reason", m.reason}};
            else if constexpr (std::is_same_v<T, StopCancelled>)
                return {{"type", "stop-cancelled"}};
            else
                return {{"type", m.type}};
        },
        message);
    return dump(j);
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
            else if constexpr (std::is_same_v<T, Postpone>)
                return {{"type", "postpone"}, {"seconds", m.seconds}};
            else if constexpr (std::is_same_v<T, Inhibit>) {
                json i = {{"type", "inhibit"}, {"active", m.active}};
                if (m.active) i["reason"] = m.reason;
                return i;
            } else if constexpr (std::is_same_v<T, Hotkey>)
                return {{"type", "hotkey"}, {"keys", m.keys}};
            else
                return {{"type", m.type}};
        },
        message);
    return dump(j);
}

}  // namespace hotseat::guest
