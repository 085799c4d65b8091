// Replays every tests/unit/engine/scenarios/*.scenario against the engine, one CTest test each.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "scenario.h"

namespace {

std::vector<std::string> scenario_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(HOTSEAT_SCENARIO_DIR))
        if (entry.path().extension() == ".scenario") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, Replays) {
    auto failures = hotseat::scenario::run_file(GetParam(), HOTSEAT_SCENARIO_CONFIG_DIR);
    for (const auto& f : failures) ADD_FAILURE() << f;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = std::filesystem::path(info.param).stem().string();
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return name;
}

INSTANTIATE_TEST_SUITE_P(Engine, Scenario, ::testing::ValuesIn(scenario_files()), test_name);

// The runner itself must be able to fail: a scenario whose expectation is wrong is reported.
TEST(ScenarioRunner, ReportsAWrongExpectation) {
    auto failures = hotseat::scenario::run_file(HOTSEAT_SCENARIO_DIR "/../selftest/wrong-expectation.scenario",
                                                HOTSEAT_SCENARIO_CONFIG_DIR);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("effects differ"), std::string::npos) << failures[0];
}

TEST(ScenarioRunner, ReportsAMissedDeadline) {
    auto failures = hotseat::scenario::run_file(HOTSEAT_SCENARIO_DIR "/../selftest/missed-deadline.scenario",
                                                HOTSEAT_SCENARIO_CONFIG_DIR);
    ASSERT_FALSE(failures.empty());
    EXPECT_NE(failures[0].find("passed without a tick"), std::string::npos) << failures[0];
}

}  // namespace
