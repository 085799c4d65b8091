#include "config/suggest.h"

#include <algorithm>
#include <cctype>

namespace hotseat::config {
namespace {

constexpr std::size_t kMaxEdits = 2;

// Levenshtein distance, case-insensitive (KEY_f12 is a typo of KEY_F12). Gives up with
// kMaxEdits + 1 as soon as the distance must exceed kMaxEdits, so that a file full of long
// misspellings checked against the ~600 evdev key names stays cheap.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    auto length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (length_gap > kMaxEdits) return kMaxEdits + 1;
    auto same = [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    };
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t substitution = diagonal + (same(a[i - 1], b[j - 1]) ? 0 : 1);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
        if (*std::min_element(row.begin(), row.end()) > kMaxEdits) return kMaxEdits + 1;
    }
    return row[b.size()];
}

// A candidate that is the word plus an "_suffix" ("idle_timeout" -> "idle_timeout_min"): a unit
// left out is a common slip that edit distance alone misses.
std::string_view extension_of(std::string_view word, const std::vector<std::string_view>& candidates) {
    for (auto candidate : candidates)
        if (candidate.size() > word.size() + 1 && candidate.substr(0, word.size()) == word &&
            candidate[word.size()] == '_')
            return candidate;
    return {};
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::string_view best;
    std::size_t best_distance = kMaxEdits + 1;
    for (auto candidate : candidates) {
        auto distance = edit_distance(word, candidate);
        if (distance < best_distance && distance * 2 < std::max(word.size(), candidate.size())) {
            best = candidate;
            best_distance = distance;
        }
    }
    if (best.empty()) best = extension_of(word, candidates);
    return std::string(best);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    auto match = closest_match(word, candidates);
    return match.empty() ? std::string() : " (did you mean \"" + match + "\"?)";
}

}  // namespace hotseat::config
