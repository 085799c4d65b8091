// Issue #19: nesting that the TOML parser would follow into a stack overflow (a dotted key of
// 32 000 parts, 64 KB) is refused before parsing, with the place, at a small bound
// (config/limits.h). What a real config needs stays allowed.
#include <gtest/gtest.h>

#include "config/limits.h"
#include "config_test_util.h"

namespace hotseat {
namespace {

using config::kMaxKeyParts;
using config::kMaxValueNesting;
using test::describe;
using test::load_text;

std::string repeat(const std::string& part, std::size_t times) {
    std::string out;
    out.reserve(part.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += part;
    return out;
}

// "k.k.k...k" with `parts` parts.
std::string dotted(std::size_t parts) { return repeat("k.", parts - 1) + "k"; }

void expect_one_error(const ConfigLoad& load, std::uint32_t line, std::uint32_t column, const std::string& words) {
    ASSERT_FALSE(load.config);
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].line, line) << describe(load.errors);
    EXPECT_EQ(load.errors[0].column, column) << describe(load.errors);
    EXPECT_NE(load.errors[0].message.find(words), std::string::npos) << describe(load.errors);
}

// The attack of the issue: 32 000 parts in a table header, 64 KB.
TEST(Depth, SixtyFourKilobyteDottedTableHeaderIsRefusedNotACrash) {
    std::string text = "[supervisor]\ndebounce_ms = 10\n[" + dotted(32'000) + "]\n";
    ASSERT_GT(text.size(), 64'000u);
    expect_one_error(load_text(text), 3, 2, "dotted key with more than " + std::to_string(kMaxKeyParts) + " parts");
}

TEST(Depth, DeepDottedKeysAreRefusedWherever) {
    const std::string deep = dotted(32'000);
    expect_one_error(load_text(deep + " = 1\n"), 1, 1, "dotted key");
    expect_one_error(load_text("[[" + deep + "]]\n"), 1, 3, "dotted key");
    expect_one_error(load_text("[[vm]]\nname = \"a\"\n  x = { " + deep + " = 1 }\n"), 3, 9, "dotted key");
    // Quoted parts and spaces around the dots are parts all the same.
    expect_one_error(load_text("[ " + repeat("\"k\" . ", 40) + "k ]\n"), 1, 3, "dotted key");
}

TEST(Depth, KeyPartsUpToTheLimitGoOnToTheParser) {
    // At the limit the pre-scan lets it through; the schema then says what is wrong with it.
    auto load = load_text("[" + dotted(kMaxKeyParts) + "]\n");
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_NE(load.errors[0].message.find("unknown key \"k\" at the top level"), std::string::npos)
        << describe(load.errors);
    expect_one_error(load_text("[" + dotted(kMaxKeyParts + 1) + "]\n"), 1, 2, "dotted key");
}

TEST(Depth, DeepArraysAndInlineTablesAreRefusedAtTheBracketBeyondTheLimit) {
    std::string arrays = "x = " + repeat("[", 100'000) + repeat("]", 100'000) + "\n";
    expect_one_error(load_text(arrays), 1, 5 + static_cast<std::uint32_t>(kMaxValueNesting),
                     "arrays and inline tables nested more than " + std::to_string(kMaxValueNesting) + " deep");
    std::string tables = "x = " + repeat("{a=", 30'000) + "1" + repeat("}", 30'000) + "\n";
    expect_one_error(load_text(tables), 1, 5 + 3 * static_cast<std::uint32_t>(kMaxValueNesting), "nested");
    // Mixed, spread over lines (arrays may span lines).
    std::string mixed = "x = [\n" + repeat("{ a = [\n", 20) + "1" + repeat("]}", 20) + "]\n";
    // Columns count characters, as toml++ does, not bytes: "é" is one column, two bytes.
    std::string wide = "x = [\"\u00e9\u00e9\u00e9\", " + repeat("[", kMaxValueNesting) + "\n";
    expect_one_error(load_text(wide), 1, 12 + static_cast<std::uint32_t>(kMaxValueNesting), "nested");
    // Line 1 opens one level, each later line two: level N+1 is the `[` of line N/2 + 1.
    expect_one_error(load_text(mixed), 1 + static_cast<std::uint32_t>(kMaxValueNesting) / 2, 7, "nested");
}

TEST(Depth, NestingUpToTheLimitGoesOnToTheParser) {
    std::string at_limit = "x = " + repeat("[", kMaxValueNesting) + repeat("]", kMaxValueNesting) + "\n";
    auto load = load_text(at_limit);
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_NE(load.errors[0].message.find("unknown key \"x\""), std::string::npos) << describe(load.errors);
}

// Brackets, braces and dots inside strings and comments are text, not structure.
TEST(Depth, StringsAndCommentsAreNotStructure) {
    const std::string many = repeat("[{.", 1000);
    std::string text = "# " + many +
                       "\n"
                       "[[vm]]\n"
                       "name = \"a\" # " +
                       many +
                       "\n"
                       "[[rule]]\n"
                       "name = \"r\"\n"
                       "on = \"device.added\"\n"
                       "match = { ID_MODEL = \"" +
                       many + "\", ID_VENDOR = '" + many +
                       "',"
                       " ID_SERIAL = \"\\\"" +
                       many +
                       "\" }\n"
                       "action = \"start\"\n"
                       "vm = \"a\"\n";
    auto load = load_text(text);
    // The strings are too long for a match value: that is the only complaint, and no depth one.
    for (const auto& e : load.errors) EXPECT_EQ(e.message.find("nested"), std::string::npos) << describe(load.errors);
    for (const auto& e : load.errors) EXPECT_EQ(e.message.find("dotted"), std::string::npos) << describe(load.errors);

    std::string multiline = "[[vm]]\nname = \"a\"\n[[rule]]\nname = \"\"\"\n" + many + "\n\"\"\"\n";
    for (const auto& e : load_text(multiline).errors)
        EXPECT_EQ(e.message.find("nested"), std::string::npos) << describe(load_text(multiline).errors);
    std::string literal_multiline = "[[vm]]\nname = '''\n" + many + "\n'''\n";
    for (const auto& e : load_text(literal_multiline).errors) EXPECT_EQ(e.message.find("nested"), std::string::npos);
}

// Floats, dates and times hold dots too, but one each: never near the limit.
TEST(Depth, DotsInValuesAreNotKeyParts) {
    auto load = load_text(
        "[governor]\nenable = false\n"
        "x = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5, 17.5]\n");
    for (const auto& e : load.errors) EXPECT_EQ(e.message.find("dotted"), std::string::npos) << describe(load.errors);
}

}  // namespace
}  // namespace hotseat
