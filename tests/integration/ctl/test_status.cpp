// hotseatctl status, as a table and as JSON.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

#include "ctl_fixture.h"

namespace hotseat::test {
namespace {

using CtlStatus = CtlTest;

bool has_line(const std::string& text, const std::string& pattern) {
    std::regex re(pattern);
    for (const auto& line : lines_of(text))
        if (std::regex_search(line, re)) return true;
    return false;
}

TEST_F(CtlStatus, TableShowsVmsMonitorsAndTheDaemon) {
    start_daemon();
    auto r = ctl({"status"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_TRUE(has_line(r.out, "^VM +STATE +SINCE +STEP +WHY +LAST ERROR$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^arch-desktop +off +")) << r.out;
    // Adopted at startup: the reason and a time, relative and absolute (TZ=UTC).
    EXPECT_TRUE(
        has_line(r.out, "^already-running +running +(just now|[0-9]+ s ago) \\(20[0-9-]+ [0-9:]+ UTC\\) +- +adopted"))
        << r.out;
    EXPECT_TRUE(has_line(r.out, "^MONITOR +STATUS$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^HDMI-A-1 +disconnected$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^No keyboards seen\\.$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^libvirt: connected$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^config: +" + config_ + "$")) << r.out;
    EXPECT_FALSE(has_line(r.out, "config error")) << r.out;
    EXPECT_EQ(r.err, "");
}

TEST_F(CtlStatus, TableFollowsAPluggedMonitor) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kArch, "running"));
    auto r = ctl({"status"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_TRUE(has_line(r.out, "^arch-desktop +running +(just now|.* ago) \\(.*\\) +- +desk-monitor +-$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^HDMI-A-1 +connected$")) << r.out;
}

TEST_F(CtlStatus, TableShowsTheGpuItsDriverAndItsHolder) {
    start_daemon();
    auto r = ctl({"status"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_TRUE(has_line(r.out, "^GPU +DRIVER +HELD BY$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^0000:00:02\\.0 +i915 +-$")) << r.out;
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kArch, "running"));
    testbed_.set_igpu_driver("vfio-pci");  // the kernel, as libvirt hands the device over
    ASSERT_TRUE(wait_until([&] { return has_line(ctl({"status"}).out, "^0000:00:02\\.0 +vfio-pci +arch-desktop$"); }))
        << ctl({"status"}).out;
    testbed_.set_igpu_driver("");
    ASSERT_TRUE(wait_until([&] { return has_line(ctl({"status"}).out, "^0000:00:02\\.0 +\\(none\\) +arch-desktop$"); }))
        << ctl({"status"}).out;
}

TEST_F(CtlStatus, JsonParsesAndHasTheFields) {
    start_daemon();
    auto r = ctl({"status", "--json"});
    ASSERT_EQ(r.status, 0) << r.both();
    auto status = nlohmann::json::parse(r.out);  // throws (fails the test) on invalid JSON
    EXPECT_EQ(status["config_path"], config_);
    EXPECT_EQ(status["config_error"], "");
    EXPECT_EQ(status["libvirt_connected"], true);
    EXPECT_EQ(status["version"], HOTSEAT_VERSION);
    EXPECT_EQ(status["monitors"], nlohmann::json::parse(R"([{"connector":"HDMI-A-1","status":"disconnected"}])"));
    EXPECT_EQ(status["keyboards"], nlohmann::json::array());
    EXPECT_EQ(status["gpus"], nlohmann::json::parse(R"([{"address":"0000:00:02.0","driver":"i915","holder":""}])"));
    ASSERT_EQ(status["vms"].size(), 2u) << r.out;

    const auto& arch = status["vms"][0];
    for (const char* key : {"name", "path", "state", "step", "reason", "last_error", "state_changed_at",
                            "state_changed_at_us", "devices"})
        EXPECT_TRUE(arch.contains(key)) << key;
    EXPECT_EQ(arch["name"], "arch-desktop");
    EXPECT_EQ(arch["path"], "/org/hotseat/Supervisor1/vm/arch_2ddesktop");
    EXPECT_EQ(arch["state"], "off");
    EXPECT_EQ(arch["devices"], nlohmann::json::array());

    const auto& adopted = status["vms"][1];
    EXPECT_EQ(adopted["name"], "already-running");
    EXPECT_EQ(adopted["state"], "running");
    EXPECT_EQ(adopted["reason"], "adopted");
    ASSERT_TRUE(adopted["state_changed_at"].is_string()) << r.out;
    EXPECT_TRUE(std::regex_match(adopted["state_changed_at"].get<std::string>(),
                                 std::regex("20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z")));
    EXPECT_GT(adopted["state_changed_at_us"].get<std::uint64_t>(), 0u);
}

TEST_F(CtlStatus, ShowsARejectedConfig) {
    start_daemon();
    write_file(config_, "[supervisor]\ndebounce_ms = \"soon\"\n");
    ASSERT_EQ(ctl({"reload"}).status, 1);
    auto r = ctl({"status"});
    ASSERT_EQ(r.status, 0) << r.both();
    EXPECT_TRUE(has_line(r.out, "^config error \\(the previous configuration stays in force\\):$")) << r.out;
    EXPECT_TRUE(has_line(r.out, "^  .*hotseat.toml:2:15: ")) << r.out;
}

}  // namespace
}  // namespace hotseat::test
