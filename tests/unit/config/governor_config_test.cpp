// [governor] and [[vm]] cpu_weight: defaults, a full table read into the model, and one error
// per wrong value at its line:column.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

TEST(GovernorConfig, DefaultsLeaveTheGovernorOffAndTheWeightAlone) {
    auto load = load_text("[[vm]]\nname = \"a\"\n");
    ASSERT_TRUE(load.config) << describe(load.errors);
    const GovernorConfig& g = load.config->governor;
    EXPECT_FALSE(g.enable);
    EXPECT_EQ(g.cpu_pressure, "");
    EXPECT_EQ(g.memory_pressure, "");
    EXPECT_EQ(g.cpu_stall_ms, 200u);
    EXPECT_EQ(g.memory_stall_ms, 100u);
    EXPECT_EQ(g.window_ms, 2000u);
    EXPECT_EQ(g.step_s, 10u);
    EXPECT_EQ(g.calm_s, 60u);
    EXPECT_EQ(g.reduced_cpu_weight, 10u);
    EXPECT_EQ(g.vcpu_quota_percent, 50u);
    EXPECT_EQ(g.balloon_percent, 50u);
    EXPECT_EQ(g.top_action, GovernorTop::None);
    EXPECT_FALSE(load.config->vms[0].cpu_weight.has_value());
}

TEST(GovernorConfig, EveryKeyReachesTheModel) {
    auto load = load_text(R"(
[governor]
enable = true
cpu_pressure = "/sys/fs/cgroup/system.slice/cpu.pressure"
memory_pressure = "/proc/pressure/memory"
cpu_stall_ms = 300
memory_stall_ms = 0
window_ms = 4000
step_s = 5
calm_s = 120
reduced_cpu_weight = 20
vcpu_quota_percent = 25
balloon_percent = 60
top_action = "suspend"

[[vm]]
name = "a"
cpu_weight = 50
)");
    ASSERT_TRUE(load.config) << describe(load.errors);
    const GovernorConfig& g = load.config->governor;
    EXPECT_TRUE(g.enable);
    EXPECT_EQ(g.cpu_pressure, "/sys/fs/cgroup/system.slice/cpu.pressure");
    EXPECT_EQ(g.memory_pressure, "/proc/pressure/memory");
    EXPECT_EQ(g.cpu_stall_ms, 300u);
    EXPECT_EQ(g.memory_stall_ms, 0u);
    EXPECT_EQ(g.window_ms, 4000u);
    EXPECT_EQ(g.step_s, 5u);
    EXPECT_EQ(g.calm_s, 120u);
    EXPECT_EQ(g.reduced_cpu_weight, 20u);
    EXPECT_EQ(g.vcpu_quota_percent, 25u);
    EXPECT_EQ(g.balloon_percent, 60u);
    EXPECT_EQ(g.top_action, GovernorTop::Suspend);
    EXPECT_EQ(load.config->vms[0].cpu_weight, 50u);
}

TEST(GovernorConfig, EveryPsiFileOfTheRightResourceIsAccepted) {
    for (const char* cpu :
         {"/proc/pressure/cpu", "/sys/fs/cgroup/cpu.pressure", "/sys/fs/cgroup/system.slice/cpu.pressure",
          "/sys/fs/cgroup/system.slice/nginx.service/cpu.pressure"}) {
        auto load = load_text("[governor]\ncpu_pressure = \"" + std::string(cpu) +
                              "\"\nmemory_pressure = \"/sys/fs/cgroup/user.slice/memory.pressure\"\n");
        ASSERT_TRUE(load.config) << cpu << ": " << describe(load.errors);
        EXPECT_EQ(load.config->governor.cpu_pressure, cpu);
    }
}

TEST(GovernorConfig, TopActionNamesRoundTrip) {
    for (auto top : {GovernorTop::None, GovernorTop::Suspend, GovernorTop::Stop})
        EXPECT_EQ(governor_top_from_string(to_string(top)), top);
    EXPECT_FALSE(governor_top_from_string("pause"));
}

struct GovernorError {
    std::string name;
    std::string toml;
    std::uint32_t line;
    std::uint32_t column;
    std::string words;
};
std::ostream& operator<<(std::ostream& out, const GovernorError& c) { return out << c.name; }

// clang-format off
const GovernorError kErrors[] = {
    {"CpuWeightZero", "[[vm]]\nname = \"a\"\ncpu_weight = 0\n", 3, 14,
     "vm \"a\": cpu_weight must be between 1 and 10000, got 0"},
    {"CpuWeightAboveCgroupMax", "[[vm]]\nname = \"a\"\ncpu_weight = 10001\n", 3, 14,
     "cpu_weight must be between 1 and 10000, got 10001"},
    {"GovernorNotATable", "governor = 1\n", 1, 12, "governor must be a table ([governor]), got integer"},
    {"UnknownKeySuggests", "[governor]\ncalm = 5\n", 2, 1,
     "unknown key \"calm\" in [governor] (did you mean \"calm_s\"?)"},
    {"EnableNotABoolean", "[governor]\nenable = \"yes\"\n", 2, 10, "enable must be a boolean, got string"},
    {"RelativePressurePath", "[governor]\ncpu_pressure = \"cpu.pressure\"\n", 2, 16,
     "cpu_pressure \"cpu.pressure\" must be a cpu PSI file: \"/proc/pressure/cpu\" or a cgroup's "
     "\"cpu.pressure\" under /sys/fs/cgroup (no \"..\")"},
    {"PressurePathWithDotDot", "[governor]\nmemory_pressure = \"/sys/fs/cgroup/../etc/shadow\"\n", 2, 19,
     "memory_pressure \"/sys/fs/cgroup/../etc/shadow\" must be a memory PSI file"},
    // The daemon opens the file read-write and writes a trigger into it (issue #19 item 7).
    {"PressurePathAnyFile", "[governor]\ncpu_pressure = \"/etc/shadow\"\n", 2, 16,
     "cpu_pressure \"/etc/shadow\" must be a cpu PSI file"},
    {"PressurePathEndsInDotDot", "[governor]\ncpu_pressure = \"/sys/fs/cgroup/system.slice/cpu.pressure/..\"\n", 2, 16,
     "must be a cpu PSI file"},
    {"PressurePathDotDotInsideProc", "[governor]\ncpu_pressure = \"/proc/pressure/../self/mem\"\n", 2, 16,
     "must be a cpu PSI file"},
    {"PressurePathNotAPressureFile", "[governor]\ncpu_pressure = \"/sys/fs/cgroup/system.slice/cpu.weight\"\n", 2, 16,
     "must be a cpu PSI file"},
    {"PressurePathOfTheOtherResource", "[governor]\ncpu_pressure = \"/proc/pressure/memory\"\n", 2, 16,
     "cpu_pressure \"/proc/pressure/memory\" must be a cpu PSI file"},
    {"PressurePathOtherCgroupResource", "[governor]\nmemory_pressure = \"/sys/fs/cgroup/system.slice/cpu.pressure\"\n", 2, 19,
     "must be a memory PSI file"},
    {"PressurePathEmptyComponent", "[governor]\ncpu_pressure = \"/sys/fs/cgroup//cpu.pressure\"\n", 2, 16,
     "must be a cpu PSI file"},
    {"PressurePathSymlinkedElsewhere", "[governor]\ncpu_pressure = \"/run/hotseat/cpu.pressure\"\n", 2, 16,
     "must be a cpu PSI file"},
    {"WindowBelowKernelMinimum", "[governor]\nwindow_ms = 499\n", 2, 13,
     "window_ms must be between 500 and 10000, got 499"},
    {"StallLongerThanWindow", "[governor]\nwindow_ms = 1000\ncpu_stall_ms = 1500\n", 3, 16,
     "cpu_stall_ms (1500) must not exceed window_ms (1000)"},
    {"DefaultStallLongerThanWindow", "[governor]\nwindow_ms = 500\nmemory_stall_ms = 50\ncpu_stall_ms = 600\n", 4, 16,
     "cpu_stall_ms (600) must not exceed window_ms (500)"},
    {"CalmZero", "[governor]\ncalm_s = 0\n", 2, 10, "calm_s must be between 1 and 86400, got 0"},
    {"StepZero", "[governor]\nstep_s = 0\n", 2, 10, "step_s must be between 1 and 3600, got 0"},
    {"ReducedWeightZero", "[governor]\nreduced_cpu_weight = 0\n", 2, 22,
     "reduced_cpu_weight must be between 1 and 10000, got 0"},
    {"QuotaAbove100", "[governor]\nvcpu_quota_percent = 101\n", 2, 22,
     "vcpu_quota_percent must be between 1 and 100, got 101"},
    {"BalloonBelow10", "[governor]\nballoon_percent = 5\n", 2, 19,
     "balloon_percent must be between 10 and 100, got 5"},
    {"TopActionUnknown", "[governor]\ntop_action = \"pause\"\n", 2, 14,
     "top_action \"pause\" must be \"none\", \"suspend\" or \"stop\""},
};
// clang-format on

class GovernorErrors : public ::testing::TestWithParam<GovernorError> {};

TEST_P(GovernorErrors, ReportsOneErrorAtThePlace) {
    const GovernorError& c = GetParam();
    auto load = load_text(c.toml);
    EXPECT_FALSE(load.config.has_value());
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    const ConfigError& error = load.errors[0];
    EXPECT_EQ(error.line, c.line) << error.to_string();
    EXPECT_EQ(error.column, c.column) << error.to_string();
    EXPECT_NE(error.message.find(c.words), std::string::npos) << error.to_string();
}

INSTANTIATE_TEST_SUITE_P(Config, GovernorErrors, ::testing::ValuesIn(kErrors),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace hotseat
