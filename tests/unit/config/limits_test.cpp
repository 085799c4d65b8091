// Every size a user controls is bounded, and the error says which bound.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

std::string vms(int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += "[[vm]]\nname = \"vm" + std::to_string(i) + "\"\n";
    return text;
}

std::string rules(int count) {
    std::string text = "[[vm]]\nname = \"a\"\n";
    for (int i = 0; i < count; ++i)
        text += "[[rule]]\nname = \"r" + std::to_string(i) +
                "\"\non = \"vm.stopped\"\naction = \"start\"\nvm = \"a\"\n";
    return text;
}

TEST(Limits, SixtyFourVmsAreAllowed) {
    auto load = load_text(vms(64));
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->vms.size(), 64u);
}

TEST(Limits, SixtyFifthVmIsAnErrorAtItsTable) {
    auto load = load_text(vms(65));
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].line, 129u);  // 2 lines per [[vm]]: the 65th starts at 129
    EXPECT_EQ(load.errors[0].column, 1u);
    EXPECT_NE(load.errors[0].message.find("too many [[vm]] entries: at most 64"), std::string::npos);
}

TEST(Limits, TwoHundredFiftySixRulesAreAllowed) {
    auto load = load_text(rules(256));
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->rules.size(), 256u);
}

TEST(Limits, TwoHundredFiftySeventhRuleIsAnError) {
    auto load = load_text(rules(257));
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].line, 3u + 256u * 5u);  // 5 lines per rule after the 2-line VM
    EXPECT_NE(load.errors[0].message.find("too many [[rule]] entries: at most 256"), std::string::npos);
}

TEST(Limits, StringOf256BytesIsAllowed) {
    auto load = load_text("[[vm]]\nname = \"" + std::string(256, 'x') + "\"\n");
    EXPECT_TRUE(load.config.has_value()) << describe(load.errors);
}

TEST(Limits, TextOverOneMebibyteIsRefusedWithoutParsing) {
    std::string text = "# " + std::string(1024 * 1024, 'x') + "\n";
    auto load = load_text(text);
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].line, 0u);
    EXPECT_NE(load.errors[0].message.find("limited to 1 MiB"), std::string::npos);
}

TEST(Limits, TooManyGpusUsbDevicesAndMatchProperties) {
    std::string gpus, usbs, match;
    for (int i = 0; i < 17; ++i)
        gpus += (i ? ", " : "") + std::string("\"0000:00:") + (i < 10 ? "0" : "") + std::to_string(i) + ".0\"";
    for (int i = 0; i < 33; ++i)
        usbs += (i ? ", " : "") + std::string("{ vendor = \"046d\", product = \"") + std::to_string(1000 + i) + "\" }";
    for (int i = 0; i < 33; ++i) match += (i ? ", " : "") + std::string("P") + std::to_string(i) + " = \"x\"";
    auto load = load_text("[[vm]]\nname = \"a\"\ngpu = [" + gpus + "]\nusb = [" + usbs +
                          "]\n[[rule]]\nname = \"r\"\non = \"device.added\"\nmatch = { " + match +
                          " }\naction = \"start\"\nvm = \"a\"\n");
    ASSERT_EQ(load.errors.size(), 3u) << describe(load.errors);
    EXPECT_NE(load.errors[0].message.find("gpu lists 17 devices; at most 16"), std::string::npos);
    EXPECT_NE(load.errors[1].message.find("usb lists 33 devices; at most 32"), std::string::npos);
    EXPECT_NE(load.errors[2].message.find("match must name 1 to 32 udev properties, got 33"), std::string::npos);
}

TEST(Limits, ReportIsCappedForAFileFullOfMistakes) {
    std::string text = "[supervisor]\n";
    for (int i = 0; i < 500; ++i) text += "k" + std::to_string(i) + " = 1\n";
    auto load = load_text(text);
    ASSERT_EQ(load.errors.size(), 100u);
    EXPECT_EQ(load.errors[0].line, 2u);
    EXPECT_EQ(load.errors.back().message, "too many errors: 401 more not shown");
}

}  // namespace
}  // namespace hotseat
