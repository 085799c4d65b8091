// hotseatctl check-config (local, no daemon) and reload (the daemon keeps a good config).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ctl_fixture.h"

namespace hotseat::test {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CommandResult check_config(const std::vector<std::string>& args) {
    std::vector<std::string> argv{HOTSEATCTL_PATH, "check-config"};
    argv.insert(argv.end(), args.begin(), args.end());
    // No bus at all: check-config must not need one.
    return run_command(argv, {{"DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent"}, {"LD_PRELOAD", ""}});
}

TEST(CtlCheckConfig, AcceptsAGoodFile) {
    TempDir dir;
    write_file(dir.file("good.toml"), ctl_test_config());
    auto r = check_config({dir.file("good.toml")});
    EXPECT_EQ(r.status, 0) << r.both();
    EXPECT_EQ(r.out, dir.file("good.toml") + ": OK (2 VMs, 2 rules)\n");
}

TEST(CtlCheckConfig, NamesEveryProblemOfABadFile) {
    TempDir dir;
    write_file(dir.file("bad.toml"), "[[vm]]\nname = \"a\"\nshutdown_timeout_s = 0\ncolour = 1\n");
    auto r = check_config({dir.file("bad.toml")});
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_TRUE(contains(r.out, dir.file("bad.toml") + ":3:22: error: ")) << r.out;
    EXPECT_TRUE(contains(r.out, dir.file("bad.toml") + ":4:1: error: ")) << r.out;
    EXPECT_TRUE(contains(r.out, dir.file("bad.toml") + ": 2 errors")) << r.out;
}

// Issue #19: a 64 KB dotted key used to overflow the TOML parser's stack and crash hotseatctl.
TEST(CtlCheckConfig, ADeepKeyIsAnErrorNotACrash) {
    TempDir dir;
    std::string key;
    for (int i = 0; i < 32'000; ++i) key += "k.";
    write_file(dir.file("deep.toml"), "[[vm]]\nname = \"a\"\n[" + key + "k]\n");
    auto r = check_config({dir.file("deep.toml")});
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_TRUE(contains(r.out, dir.file("deep.toml") + ":3:2: error: dotted key with more than")) << r.out;
}

TEST(CtlCheckConfig, MissingFileIsAnError) {
    auto r = check_config({"/nonexistent/hotseat.toml"});
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_TRUE(contains(r.out, "/nonexistent/hotseat.toml")) << r.out;
}

TEST(CtlCheckConfig, JsonForGoodAndBadFiles) {
    TempDir dir;
    write_file(dir.file("good.toml"), ctl_test_config());
    auto good = check_config({"--json", dir.file("good.toml")});
    ASSERT_EQ(good.status, 0) << good.both();
    auto g = nlohmann::json::parse(good.out);
    EXPECT_EQ(g["path"], dir.file("good.toml"));
    EXPECT_EQ(g["valid"], true);
    EXPECT_EQ(g["vms"], 2);
    EXPECT_EQ(g["rules"], 2);
    EXPECT_EQ(g["errors"], nlohmann::json::array());

    // A quote and a backslash in the name (quoted in the message) must come out as valid JSON.
    write_file(dir.file("bad.toml"), "[[vm]]\nname = \"a\\\"b\\\\c\"\nshutdown_timeout_s = 0\n");
    auto bad = check_config({dir.file("bad.toml"), "--json"});
    EXPECT_EQ(bad.status, 1) << bad.both();
    auto b = nlohmann::json::parse(bad.out);
    EXPECT_EQ(b["valid"], false);
    EXPECT_TRUE(b["vms"].is_null());
    ASSERT_EQ(b["errors"].size(), 2u) << bad.out;
    EXPECT_EQ(b["errors"][0]["line"], 2);
    EXPECT_TRUE(contains(b["errors"][0]["message"].get<std::string>(), "\"a\\\"b\\\\c\"")) << bad.out;
    const auto& error = b["errors"][1];
    EXPECT_EQ(error["file"], dir.file("bad.toml"));
    EXPECT_EQ(error["line"], 3);
    EXPECT_EQ(error["column"], 22);
    EXPECT_TRUE(contains(error["message"].get<std::string>(), "shutdown_timeout_s")) << bad.out;
}

using CtlReload = CtlTest;

TEST_F(CtlReload, ABrokenConfigIsRefusedAndTheOldOneStays) {
    start_daemon();
    write_file(config_, "[supervisor]\ndebounce_ms = \"soon\"\n");
    auto r = ctl({"reload"});
    EXPECT_EQ(r.status, 1) << r.both();
    EXPECT_TRUE(contains(r.err,
                         "hotseatctl: reload: the configuration was rejected, the previous one stays in "
                         "force: " +
                             config_ + ":2:15: "))
        << r.err;

    auto status = nlohmann::json::parse(ctl({"status", "--json"}).out);
    EXPECT_TRUE(contains(status["config_error"].get<std::string>(), config_ + ":2:15")) << status;
    ASSERT_EQ(status["vms"].size(), 2u);
    // The old rules are still in force: the monitor still starts the desktop.
    testbed_.plug_monitor("HDMI-A-1");
    EXPECT_TRUE(state_becomes(kArch, "running"));
    EXPECT_EQ(vm_property(bus_.address(), kArch, "Reason"), "desk-monitor");

    write_config({});
    auto fixed = ctl({"reload"});
    EXPECT_EQ(fixed.status, 0) << fixed.both();
    EXPECT_EQ(nlohmann::json::parse(ctl({"status", "--json"}).out)["config_error"], "");
}

TEST_F(CtlReload, NobodyMayNotReload) {
    start_daemon();
    auto r = ctl({"reload"}, /*as_nobody=*/true);
    EXPECT_EQ(r.status, 5) << r.both();
}

}  // namespace
}  // namespace hotseat::test
