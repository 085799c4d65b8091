// A pre-scan of config text before toml++ parses it (issue #19): toml++ follows dotted keys and
// nested arrays / inline tables by recursion, and a 64 KB key of 32 000 parts overflowed the
// stack of hotseatd, hotseatctl and hotseat-hook. The scan bounds both (config/limits.h:
// kMaxKeyParts, kMaxValueNesting) in one linear pass without recursion or allocation.
//
// It knows just enough TOML to tell structure from text: comments, the four kinds of strings,
// table headers, `=`, `,`, brackets and braces. It never rejects what it does not understand:
// anything malformed is left to the parser, which stops at the first syntax error. Where it is
// unsure it counts more, not less, so nothing the parser would nest deeper gets past it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotseat::config {

struct DepthProblem {
    std::uint32_t line = 0;    // 1-based, as toml++ counts
    std::uint32_t column = 0;  // 1-based, in characters (UTF-8 code points), as toml++ counts
    std::string message;
};

// The first place where a dotted key has more than kMaxKeyParts parts (reported at the key's
// first part) or where arrays and inline tables nest deeper than kMaxValueNesting (reported at
// the bracket or brace that goes one too deep); nothing when the text stays within both.
std::optional<DepthProblem> scan_depth(std::string_view text);

}  // namespace hotseat::config
