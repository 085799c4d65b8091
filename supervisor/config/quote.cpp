#include "config/quote.h"

#include <cstdio>

#include "config/limits.h"

namespace hotseat::config {

std::string quoted(std::string_view text) {
    bool cut = text.size() > kMaxStringBytes;
    text = text.substr(0, kMaxStringBytes);
    std::string out = "\"";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
            out += escaped;
        } else {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
    }
    return out + (cut ? "...\"" : "\"");
}

std::string quoted_choice(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + quoted(names[i]);
    return out;
}

}  // namespace hotseat::config
