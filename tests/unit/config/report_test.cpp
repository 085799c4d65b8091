// The --check-config report: one line per problem, then a summary.
#include <gtest/gtest.h>

#include "config/report.h"
#include "config_test_util.h"

namespace hotseat {
namespace {

TEST(LoadReport, ErrorsAndWarningsOnePerLineThenASummary) {
    auto load = test::load_text(R"([[vm]]
name = "a"
shutdown_timeout_s = 0
idle_timeout_min = 0
[[rule]]
name = "k"
on = "vm.idle"
action = "stop"
vm = "a"
)");
    EXPECT_EQ(config::format_load_report(load),
              "hotseat.toml:3:22: error: vm \"a\": shutdown_timeout_s must be between 1 and 3600, got 0\n"
              "hotseat.toml:7:6: warning: rule \"k\": trigger vm.idle never fires: vm \"a\" has "
              "idle_timeout_min = 0 (never idle)\n"
              "hotseat.toml: 1 error, 1 warning\n");
}

TEST(LoadReport, CleanConfigSaysOkWithCounts) {
    auto load = test::load_text(
        "[[vm]]\nname = \"a\"\n[[rule]]\nname = \"r\"\non = \"vm.stopped\"\n"
        "action = \"start\"\nvm = \"a\"\n");
    EXPECT_EQ(config::format_load_report(load), "hotseat.toml: OK (1 VM, 1 rule)\n");
}

TEST(LoadReport, ErrorWithoutPositionHasNoNumbers) {
    auto load = load_config_file("/nonexistent/hotseat.toml");
    EXPECT_EQ(config::format_load_report(load),
              "/nonexistent/hotseat.toml: error: cannot open: No such file or directory\n"
              "/nonexistent/hotseat.toml: 1 error\n");
}

}  // namespace
}  // namespace hotseat
