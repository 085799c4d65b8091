// hotseat-hook when the config is in trouble (issue #19): a config that would overflow the TOML
// parser's stack, or that is invalid, never makes the hook fail a domain the config does not
// name. The rule (hotseat.toml(5) [[vm]], hooks/config_gate.h): a domain whose name does not occur
// in the config text, where the text has no backslash escape that could spell it, is not
// hotseat's, and the config is not even parsed for it.
#include <gmock/gmock.h>

#include "config_gate.h"
#include "hook_test.h"

namespace hotseat::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using HookConfigTrouble = HookTest;

std::string deep_key_config() {
    std::string key;
    for (int i = 0; i < 32'000; ++i) key += "k.";
    return "[[vm]]\nname = \"" + kDomain + "\"\n[" + key + "k]\n";  // 64 KB
}

TEST(ConfigGate, ANameMustOccurUnlessEscapesCouldSpellIt) {
    using hook::config_may_name;
    const std::string config = "[[vm]]\nname = \"arch-desktop\"\n";
    EXPECT_TRUE(config_may_name(config, "arch-desktop"));
    EXPECT_TRUE(config_may_name(config, "arch"));  // a part of a name: the parsed config decides
    EXPECT_FALSE(config_may_name(config, "windows"));
    EXPECT_FALSE(config_may_name("", "windows"));
    // Any backslash could be an escape spelling the name ("\u0077indows" is "windows").
    EXPECT_TRUE(config_may_name("[[vm]]\nname = \"\\u0077indows\"\n", "windows"));
    EXPECT_TRUE(config_may_name("# a comment with a \\ in it\n", "windows"));
}

TEST_F(HookConfigTrouble, DeepKeyConfigNeverFailsAnotherDomain) {
    bed.write_config(deep_key_config());
    for (auto [op, subop] : {std::pair{"prepare", "begin"}, {"release", "end"}, {"reconnect", "begin"}}) {
        HookRun hook = run(op, subop, hugepage_xml(), "windows-vm");
        EXPECT_EQ(hook.status, 0) << op;
        EXPECT_EQ(hook.output, "") << op;  // not ours: not a word about hotseat's config
    }
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookConfigTrouble, DeepKeyConfigLeavesItsOwnDomainAloneAndSaysWhere) {
    bed.write_config(deep_key_config());
    HookRun hook = run("prepare", "begin", hugepage_xml());
    EXPECT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("hotseat.toml:3:2: dotted key with more than"));
    EXPECT_THAT(hook.output, HasSubstr("cannot read the config"));
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookConfigTrouble, InvalidConfigIsNotReadForADomainItDoesNotName) {
    bed.write_config("[[vm]]\nname = \"arch-desktop\"\nbogus = 1\n");
    HookRun hook = run("prepare", "begin", hugepage_xml(), "windows-vm");
    EXPECT_EQ(hook.status, 0);
    EXPECT_EQ(hook.output, "");
    EXPECT_THAT(writes->take(), IsEmpty());
}

// A name that occurs only as a longer name's part ("arch" in "arch-desktop") or in a comment
// makes the hook read the config; the config then says it is not ours.
TEST_F(HookConfigTrouble, ANameThatOccursInTheTextIsLookedUpInTheConfig) {
    bed.write_config("# arch\n[[vm]]\nname = \"arch-desktop\"\n");
    HookRun hook = run("prepare", "begin", hugepage_xml(), "arch");
    EXPECT_EQ(hook.status, 0);
    EXPECT_EQ(hook.output, "");
    EXPECT_THAT(writes->take(), IsEmpty());
}

// TOML escapes can spell a name without its text occurring: such a config is always read.
TEST_F(HookConfigTrouble, ANameSpelledWithEscapesIsStillOurs) {
    bed.write_config("[[vm]]\nname = \"arch\\u002Ddesktop\"\n");
    HookRun hook = run("prepare", "begin", hugepage_xml("6"));
    ASSERT_EQ(hook.status, 0) << hook.output;
    EXPECT_EQ(bed.value(kNrHugepages), "3072");
}

}  // namespace
}  // namespace hotseat::test
