// hotseatctl monitor: rule firings and state changes as they happen, until SIGINT.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <regex>

#include "ctl_fixture.h"

namespace hotseat::test {
namespace {

using CtlMonitor = CtlTest;

constexpr const char* kStamp = "^20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} ";

bool has_line(const Process& p, const std::string& pattern) {
    std::regex re(pattern);
    for (const auto& line : lines_of(p.output()))
        if (std::regex_search(line, re)) return true;
    return false;
}

bool watching(Process& p) {
    return wait_until([&] { return has_line(p, "^Watching hotseatd on the system bus"); });
}

std::vector<nlohmann::json> json_lines(const std::string& output) {
    std::vector<nlohmann::json> out;
    for (const auto& line : lines_of(output))
        if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line));  // throws if invalid
    return out;
}

TEST_F(CtlMonitor, PrintsRuleFiredAndStateChangesWhenAMonitorIsPlugged) {
    start_daemon();
    auto monitor = spawn_ctl({"monitor"});
    ASSERT_TRUE(watching(*monitor)) << monitor->output();

    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kArch, "running"));
    EXPECT_TRUE(wait_until([&] {
        return has_line(*monitor, std::string(kStamp) +
                                      "rule desk-monitor fired on \"monitor.connected HDMI-A-1\": start arch-desktop$");
    })) << monitor->output();
    EXPECT_TRUE(wait_until([&] {
        return has_line(*monitor, std::string(kStamp) + "vm arch-desktop: .*State=starting");
    })) << monitor->output();
    EXPECT_TRUE(wait_until([&] {
        return has_line(*monitor, std::string(kStamp) + "vm arch-desktop: .*State=running");
    })) << monitor->output();
    EXPECT_TRUE(wait_until([&] {
        return has_line(*monitor, std::string(kStamp) + "manager: Monitors=\\[HDMI-A-1 connected\\]$");
    })) << monitor->output();

    EXPECT_EQ(monitor->stop(SIGINT), 0) << monitor->output();
}

TEST_F(CtlMonitor, JsonLinesAreValidAndTyped) {
    start_daemon();
    auto monitor = spawn_ctl({"monitor", "--json"});
    ASSERT_TRUE(watching(*monitor)) << monitor->output();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kArch, "running"));

    auto rule_fired = [&] {
        for (const auto& line : json_lines(monitor->output()))
            if (line["type"] == "rule-fired") return line;
        return nlohmann::json();
    };
    ASSERT_TRUE(wait_until([&] { return !rule_fired().is_null(); })) << monitor->output();
    auto fired = rule_fired();
    EXPECT_EQ(fired["rule"], "desk-monitor");
    EXPECT_EQ(fired["event"], "monitor.connected HDMI-A-1");
    EXPECT_EQ(fired["vm"], "arch-desktop");
    EXPECT_EQ(fired["action"], "start");
    EXPECT_TRUE(fired["time"].is_string());
    EXPECT_TRUE(fired["time_us"].is_number_unsigned());

    ASSERT_TRUE(wait_until([&] {
        for (const auto& line : json_lines(monitor->output()))
            if (line["type"] == "properties-changed" && line.value("vm", "") == "arch-desktop" &&
                line["changed"].value("State", "") == "running")
                return true;
        return false;
    })) << monitor->output();
    EXPECT_EQ(monitor->stop(SIGINT), 0) << monitor->output();
    for (const auto& line : json_lines(monitor->output())) EXPECT_TRUE(line.contains("type")) << line;
}

TEST_F(CtlMonitor, PrintsGpuChanges) {
    start_daemon();
    auto text = spawn_ctl({"monitor"});
    auto json = spawn_ctl({"monitor", "--json"});
    ASSERT_TRUE(watching(*text)) << text->output();
    ASSERT_TRUE(watching(*json)) << json->output();
    testbed_.set_igpu_driver("");  // the kernel unbinding i915
    EXPECT_TRUE(wait_until([&] {
        return has_line(*text, std::string(kStamp) + "manager: Gpus=\\[0000:00:02\\.0 - -\\]$");
    })) << text->output();
    EXPECT_TRUE(wait_until([&] {
        for (const auto& line : json_lines(json->output()))
            if (line["type"] == "properties-changed" && line["changed"].contains("Gpus"))
                return line["changed"]["Gpus"] ==
                       nlohmann::json::parse(R"([{"address":"0000:00:02.0","driver":"","holder":""}])");
        return false;
    })) << json->output();
    EXPECT_EQ(text->stop(SIGINT), 0);
    EXPECT_EQ(json->stop(SIGINT), 0);
}

TEST_F(CtlMonitor, ReportsTheDaemonLeaving) {
    start_daemon();
    auto monitor = spawn_ctl({"monitor"});
    ASSERT_TRUE(watching(*monitor)) << monitor->output();
    daemon_->process().stop(SIGTERM);
    EXPECT_TRUE(wait_until([&] { return has_line(*monitor, std::string(kStamp) + "daemon: hotseatd left the bus$"); }))
        << monitor->output();
    EXPECT_TRUE(monitor->running());  // it keeps watching for the daemon's return
    EXPECT_EQ(monitor->stop(SIGINT), 0);
}

}  // namespace
}  // namespace hotseat::test
