// Every example config shipped in rules/ loads without errors, so the examples cannot rot.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "config_test_util.h"
#include "temp_files.h"

namespace hotseat {
namespace {

namespace fs = std::filesystem;
using test::describe;

// Relative to HOTSEAT_RULES_DIR, sorted.
std::vector<std::string> example_files() {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(HOTSEAT_RULES_DIR, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".toml")
            files.push_back(fs::relative(entry.path(), HOTSEAT_RULES_DIR).string());
    std::sort(files.begin(), files.end());
    return files;
}

ConfigLoad load_example(const std::string& relative) {
    std::string path = std::string(HOTSEAT_RULES_DIR) + "/" + relative;
    return load_config_string(test::read_file(path), path);
}

class ExampleConfigs : public ::testing::TestWithParam<std::string> {};

TEST_P(ExampleConfigs, LoadsWithoutErrors) {
    auto load = load_example(GetParam());
    EXPECT_TRUE(load.errors.empty()) << describe(load.errors);
    EXPECT_TRUE(load.config.has_value());
}

INSTANTIATE_TEST_SUITE_P(Rules, ExampleConfigs, ::testing::ValuesIn(example_files()), [](const auto& info) {
    std::string name = info.param;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
});

TEST(ExampleConfigFiles, ReferenceAndExamplesAreFound) {
    auto files = example_files();
    EXPECT_NE(std::find(files.begin(), files.end(), "hotseat.toml"), files.end());
    EXPECT_NE(std::find(files.begin(), files.end(), "examples/two-vms.toml"), files.end());
}

// The parameterised tests above are listed when the test binary is built; this one also sees a
// file added to rules/ since.
TEST(ExampleConfigFiles, AllLoadWithoutErrors) {
    auto files = example_files();
    ASSERT_FALSE(files.empty());
    for (const auto& file : files) {
        auto load = load_example(file);
        EXPECT_TRUE(load.errors.empty()) << file << ":\n" << describe(load.errors);
    }
}

TEST(ExampleConfigFiles, ReferenceConfigDescribesTheReferenceMachine) {
    auto load = load_example("hotseat.toml");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    const Config& config = *load.config;
    ASSERT_EQ(config.vms.size(), 1u);
    EXPECT_EQ(config.vms[0].name, "arch-desktop");
    EXPECT_EQ(config.vms[0].gpu, std::vector<std::string>{"0000:00:02.0"});
    ASSERT_EQ(config.vms[0].usb.size(), 1u);
    EXPECT_EQ(config.vms[0].usb[0].vendor + ":" + config.vms[0].usb[0].product, "046d:c52b");

    std::vector<std::string> names;
    for (const auto& rule : config.rules) names.push_back(rule.name);
    EXPECT_EQ(names, (std::vector<std::string>{"desk-monitor", "desk-unplug", "desk-hotkey", "keyboard-gone"}));
    EXPECT_EQ(config.rules[0].on, Trigger::MonitorConnected);
    EXPECT_EQ(config.rules[0].connector, "HDMI-A-1");
    EXPECT_EQ(config.rules[0].action, Action::Start);
    EXPECT_EQ(config.rules[1].on, Trigger::MonitorDisconnected);
    EXPECT_EQ(config.rules[1].connector, "HDMI-A-1");
    EXPECT_EQ(config.rules[1].action, Action::Stop);
}

TEST(ExampleConfigFiles, TwoVmsShareTheGpu) {
    auto load = load_example("examples/two-vms.toml");
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    ASSERT_EQ(load.config->vms.size(), 2u);
    EXPECT_EQ(load.config->vms[0].gpu, load.config->vms[1].gpu);
}

}  // namespace
}  // namespace hotseat
