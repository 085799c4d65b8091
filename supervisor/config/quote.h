// Quoting user text inside messages. Messages go to the journal and over D-Bus, so whatever the
// file holds is shown escaped and cut short: a hostile key cannot forge log lines.
#pragma once

#include <string>
#include <string_view>

namespace hotseat::config {

// "\"text\"" with control bytes as \xNN, '"' and '\' escaped, and at most 256 bytes of `text`
// shown (then "...").
std::string quoted(std::string_view text);

}  // namespace hotseat::config
