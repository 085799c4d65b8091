// Quoting user text inside messages. Messages go to the journal and over D-Bus, so whatever the
// file holds is shown escaped and cut short: a hostile key cannot forge log lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotseat::config {

// "\"text\"" with control bytes as \xNN, '"' and '\' escaped, and at most 256 bytes of `text`
// shown (then "...").
std::string quoted(std::string_view text);

// The accepted names for a message: "\"a\", \"b\" or \"c\"" (each quoted()).
std::string quoted_choice(const std::vector<std::string_view>& names);

}  // namespace hotseat::config
