// Fuzz target: bytes on the guest channel → the line splitter both ends use (with the 4096-byte
// limit, fed in uneven chunks as reads would deliver them) → parse_line on each line (what
// hotseatd reads from a guest) and parse_host_line (what the guest helper reads from the host,
// protocol 2).
//
// Checks beyond "no crash": no line handed on is longer than the limit or holds a newline; an
// invalid line says why; a valid message encodes to one line that parses back to the same message
// (what one end sends is exactly what the other reads), in both directions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "guest/line_reader.h"
#include "guest/protocol.h"

// scripts/fuzz gives inputs of up to four maximal lines: an oversized line, the resynchronisation
// after it and full lines around it (fuzz/CMakeLists.txt).
static_assert(HOTSEAT_FUZZ_MAX_LEN == 4 * hotseat::guest::kMaxLineBytes);

namespace {

using namespace hotseat::guest;

bool same(const Message& a, const Message& b) {
    if (a.index() != b.index()) return false;
    if (auto* h = std::get_if<Hello>(&a)) {
        auto& o = std::get<Hello>(b);
        return h->protocol == o.protocol && h->helper_version == o.helper_version;
    }
    if (auto* c = std::get_if<Connector>(&a)) {
        auto& o = std::get<Connector>(b);
        return c->card == o.card && c->connector == o.connector && c->connected == o.connected &&
               c->initial == o.initial;
    }
    if (auto* i = std::get_if<Input>(&a)) return i->idle_ms == std::get<Input>(b).idle_ms;
    if (auto* p = std::get_if<Postpone>(&a)) return p->seconds == std::get<Postpone>(b).seconds;
    if (auto* h = std::get_if<Inhibit>(&a)) {
        auto& o = std::get<Inhibit>(b);
        return h->active == o.active && h->reason == o.reason;
    }
    if (auto* k = std::get_if<Hotkey>(&a)) return k->keys == std::get<Hotkey>(b).keys;
    return std::get<Unknown>(a).type == std::get<Unknown>(b).type;
}

bool same(const HostMessage& a, const HostMessage& b) {
    if (a.index() != b.index()) return false;
    if (auto* h = std::get_if<HostHello>(&a)) {
        auto& o = std::get<HostHello>(b);
        return h->protocol == o.protocol && h->host_version == o.host_version && h->hotkeys == o.hotkeys;
    }
    if (auto* p = std::get_if<StopPending>(&a)) {
        auto& o = std::get<StopPending>(b);
        return p->deadline_us == o.deadline_us && p->in_ms == o.in_ms && p->action == o.action && p->reason == o.reason;
    }
    if (std::holds_alternative<StopCancelled>(a)) return true;
    return std::get<Unknown>(a).type == std::get<Unknown>(b).type;
}

void check_host_line(const std::string& line) {
    HostParseResult parsed = parse_host_line(line);
    if (!parsed.message) {
        if (parsed.error.empty()) std::abort();
        return;
    }
    if (std::holds_alternative<Unknown>(*parsed.message)) return;
    std::string encoded = encode_host(*parsed.message);
    if (encoded.empty() || encoded.back() != '\n') std::abort();
    HostParseResult again = parse_host_line(std::string_view(encoded).substr(0, encoded.size() - 1));
    if (!again.message || !same(*parsed.message, *again.message)) std::abort();
}

void check_line(const LineChunk& chunk) {
    if (chunk.oversized) {
        if (!chunk.line.empty()) std::abort();
        return;
    }
    if (chunk.line.size() > kMaxLineBytes || chunk.line.find('\n') != std::string::npos) std::abort();
    check_host_line(chunk.line);
    ParseResult parsed = parse_line(chunk.line);
    if (!parsed.message) {
        if (parsed.error.empty()) std::abort();
        return;
    }
    if (std::holds_alternative<Unknown>(*parsed.message)) return;  // ignored by the reader: nothing to send back
    std::string encoded = encode(*parsed.message);
    if (encoded.empty() || encoded.back() != '\n') std::abort();
    ParseResult again = parse_line(std::string_view(encoded).substr(0, encoded.size() - 1));
    if (!again.message || !same(*parsed.message, *again.message)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    LineReader reader(kMaxLineBytes);
    // Chunk sizes from the input's own first byte: reads of 1 to 256 bytes.
    std::size_t step = size ? static_cast<std::size_t>(data[0]) + 1 : 1;
    for (std::size_t at = 0; at < bytes.size(); at += step)
        for (const auto& chunk : reader.feed(bytes.substr(at, step))) check_line(chunk);
    return 0;
}
