// "did you mean ...?" for misspelt keys and values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotseat::config {

// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo
// (at most 2 edits, and fewer than half the word); empty otherwise.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// " (did you mean \"x\"?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace hotseat::config
