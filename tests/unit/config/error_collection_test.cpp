// Loading does not stop at the first problem: every error is reported, in file order.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

TEST(ErrorCollection, TwoErrorsGiveTwoEntriesInFileOrder) {
    // The loader reads usb before the timeouts, so without sorting line 4 would come first.
    auto load = load_text(R"([[vm]]
name = "a"
shutdown_timeout_s = 0
usb = [{ vendor = "046d", product = "xyz" }]
)");
    EXPECT_FALSE(load.config.has_value());
    ASSERT_EQ(load.errors.size(), 2u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].to_string(),
              "hotseat.toml:3:22: vm \"a\": shutdown_timeout_s must be between 1 and 3600, got 0");
    EXPECT_EQ(load.errors[1].to_string(),
              "hotseat.toml:4:37: vm \"a\": usb[0]: product \"xyz\" must be 4 hex digits like \"046d\"");
}

TEST(ErrorCollection, ErrorsAcrossSectionsAreSortedByLineThenColumn) {
    auto load = load_text(R"([[rule]]
name = "r"
on = "hotkey"
keys = ["KEY_NOPE", "KEY_ALSO_NOPE"]
action = "launch"
vm = "ghost"

[supervisor]
debounce_ms = -5
colour = "blue"

[[vm]]
name = "bad name"
)");
    ASSERT_EQ(load.errors.size(), 7u) << describe(load.errors);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> places;
    for (const auto& e : load.errors) places.emplace_back(e.line, e.column);
    EXPECT_EQ(places, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{
                          {4, 9}, {4, 21}, {5, 10}, {6, 6}, {9, 15}, {10, 1}, {13, 8}}))
        << describe(load.errors);
    // A VM whose name is unusable is not "defined", so the rule's reference is an error too.
    EXPECT_NE(load.errors[3].message.find("vm \"ghost\" is not defined (no [[vm]] is defined)"), std::string::npos);
}

TEST(ErrorCollection, AVmWithBadKeysStillCountsAsDefinedForRules) {
    auto load = load_text(R"([[vm]]
name = "a"
gpu = ["nope"]
[[rule]]
name = "r"
on = "vm.stopped"
action = "start"
vm = "a"
)");
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].line, 3u);
}

TEST(ErrorCollection, UnknownKeysAreAllReported) {
    auto load = load_text("[[vm]]\nname = \"a\"\nfoo = 1\nbar = 2\nbaz = 3\n");
    ASSERT_EQ(load.errors.size(), 3u) << describe(load.errors);
    EXPECT_NE(load.errors[0].message.find("\"foo\""), std::string::npos);
    EXPECT_NE(load.errors[1].message.find("\"bar\""), std::string::npos);
    EXPECT_NE(load.errors[2].message.find("\"baz\""), std::string::npos);
}

TEST(ErrorCollection, WarningsAreKeptWhenThereAreErrors) {
    auto load = load_text(R"([[vm]]
name = "a"
idle_cpu_percent = 200
idle_timeout_min = 0
[[rule]]
name = "k"
on = "vm.idle"
action = "stop"
vm = "a"
)");
    EXPECT_FALSE(load.config.has_value());
    EXPECT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.warnings.size(), 1u) << describe(load.warnings);
}

}  // namespace
}  // namespace hotseat
