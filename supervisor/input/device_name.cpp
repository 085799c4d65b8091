#include "input/device_name.h"

namespace hotseat::input {
namespace {

// Length of the valid UTF-8 sequence starting s[0], or 0 when it is not one (overlong forms,
// surrogates and code points above U+10FFFF are not valid).
std::size_t utf8_sequence_length(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto continuation = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
    unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (!continuation(1) || !continuation(2)) return 0;
        if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
        if (lead == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
        if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
        if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

bool is_control(std::string_view character) {
    if (character.size() == 1) {
        unsigned char c = static_cast<unsigned char>(character[0]);
        return c < 0x20 || c == 0x7F;
    }
    // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
    return character.size() == 2 && static_cast<unsigned char>(character[0]) == 0xC2 &&
           static_cast<unsigned char>(character[1]) < 0xA0;
}

}  // namespace

std::string printable_name(std::string_view raw) {
    std::string out;
    while (!raw.empty()) {
        std::size_t length = utf8_sequence_length(raw);
        std::string_view piece = length ? raw.substr(0, length) : raw.substr(0, 1);
        bool keep = length && !is_control(piece);
        if (out.size() + (keep ? piece.size() : 1) > kMaxNameBytes) break;
        if (keep)
            out.append(piece);
        else
            out.push_back('?');
        raw.remove_prefix(piece.size());
    }
    return out.empty() ? "unnamed" : out;
}

}  // namespace hotseat::input
