// The services.hotseat.settings block of docs/setup.md, rendered to TOML by the NixOS module
// (evaluated by nix-instantiate against the stubs in tests/deploy/nix/), must be the reference
// configuration rules/hotseat.toml as hotseatd's own loader reads it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "hotseat/config.h"
#include "process.h"

namespace hotseat {
namespace {

using test::read_file;
using test::run_capture;
using test::TempDir;
using test::write_file;

const std::string kSource = HOTSEAT_SOURCE_DIR;
constexpr const char* kBegin = "<!-- hotseat-settings:begin -->";
constexpr const char* kEnd = "<!-- hotseat-settings:end -->";

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    return false;
}

// The Nix code inside the marked ```nix fence of docs/setup.md; empty when it is not there.
std::string settings_block() {
    std::string doc = read_file(kSource + "/docs/setup.md");
    auto begin = doc.find(kBegin), end = doc.find(kEnd);
    if (begin == std::string::npos || end == std::string::npos || end < begin) return {};
    std::string block = doc.substr(begin, end - begin);
    auto open = block.find("```nix\n"), close = block.rfind("```");
    if (open == std::string::npos || close == std::string::npos || close <= open) return {};
    open += 7;
    return block.substr(open, close - open);
}

class NixSettings : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(on_path("nix-instantiate"))
            << "nix-instantiate is not installed (Debian package nix-bin; scripts/setup installs it)";
        std::string block = settings_block();
        ASSERT_FALSE(block.empty()) << "no ```nix block between " << kBegin << " and " << kEnd << " in docs/setup.md";
        write_file(dir.file("hotseat.nix"), block);
    }

    // What the module writes to /etc/hotseat/hotseat.toml for the documented settings.
    std::string rendered() {
        int status = -1;
        std::string out = run_capture(
            {"nix-instantiate", "--store", "dummy://", "--eval", "--strict", "--json", "-A", "toml", "--arg",
             "hostConfigFile", dir.file("hotseat.nix"), kSource + "/tests/deploy/nix/eval-module.nix"},
            &status, {{"HOME", dir.path()}});
        EXPECT_EQ(status, 0) << "nix-instantiate failed";
        auto json = nlohmann::json::parse(out, nullptr, false);
        if (!json.is_string()) {
            ADD_FAILURE() << "not a JSON string: " << out;
            return {};
        }
        return json.get<std::string>();
    }

    TempDir dir;
};

std::string errors_of(const ConfigLoad& load) {
    std::string text;
    for (const auto& e : load.errors) text += e.to_string() + "\n";
    return text;
}

void expect_same_vms(const Config& got, const Config& want) {
    ASSERT_EQ(got.vms.size(), want.vms.size());
    for (std::size_t i = 0; i < want.vms.size(); ++i) {
        const VmConfig &g = got.vms[i], &w = want.vms[i];
        EXPECT_EQ(g.name, w.name);
        EXPECT_EQ(g.gpu, w.gpu) << w.name;
        ASSERT_EQ(g.usb.size(), w.usb.size()) << w.name;
        for (std::size_t u = 0; u < w.usb.size(); ++u) {
            EXPECT_EQ(g.usb[u].vendor, w.usb[u].vendor);
            EXPECT_EQ(g.usb[u].product, w.usb[u].product);
            EXPECT_EQ(g.usb[u].serial, w.usb[u].serial);
        }
        EXPECT_EQ(g.shutdown_timeout_s, w.shutdown_timeout_s) << w.name;
        EXPECT_EQ(g.idle_timeout_min, w.idle_timeout_min) << w.name;
        EXPECT_EQ(g.idle_cpu_percent, w.idle_cpu_percent) << w.name;
    }
}

void expect_same_rules(const Config& got, const Config& want) {
    ASSERT_EQ(got.rules.size(), want.rules.size());
    for (std::size_t i = 0; i < want.rules.size(); ++i) {
        const Rule &g = got.rules[i], &w = want.rules[i];
        EXPECT_EQ(g.name, w.name);
        EXPECT_EQ(to_string(g.on), to_string(w.on)) << w.name;
        EXPECT_EQ(g.connector, w.connector) << w.name;
        EXPECT_EQ(g.keys, w.keys) << w.name;
        EXPECT_EQ(g.match, w.match) << w.name;
        EXPECT_EQ(to_string(g.action), to_string(w.action)) << w.name;
        EXPECT_EQ(g.vm, w.vm) << w.name;
        EXPECT_EQ(g.takeover, w.takeover) << w.name;
    }
}

TEST_F(NixSettings, DocumentedSettingsRenderToAValidConfig) {
    std::string toml = rendered();
    auto load = load_config_string(toml, "services.hotseat.settings");
    EXPECT_TRUE(load.config.has_value()) << errors_of(load) << "rendered:\n" << toml;
}

TEST_F(NixSettings, DocumentedSettingsAreTheReferenceConfig) {
    auto nix = load_config_string(rendered(), "services.hotseat.settings");
    auto reference = load_config_string(read_file(kSource + "/rules/hotseat.toml"), "rules/hotseat.toml");
    ASSERT_TRUE(reference.config.has_value()) << errors_of(reference);
    ASSERT_TRUE(nix.config.has_value()) << errors_of(nix);
    EXPECT_EQ(nix.config->supervisor.libvirt_uri, reference.config->supervisor.libvirt_uri);
    EXPECT_EQ(nix.config->supervisor.control_group, reference.config->supervisor.control_group);
    EXPECT_EQ(nix.config->supervisor.debounce_ms, reference.config->supervisor.debounce_ms);
    expect_same_vms(*nix.config, *reference.config);
    expect_same_rules(*nix.config, *reference.config);
    EXPECT_EQ(nix.warnings.size(), reference.warnings.size());
}

// The configuration the NixOS VM test (nix/vm-test.nix) gives hotseatd: the VM test cannot run
// here, but hotseatd's own loader can say whether that hotseatd would start.
TEST(NixVmTest, SettingsAreAValidConfig) {
    ASSERT_TRUE(on_path("nix-instantiate"))
        << "nix-instantiate is not installed (Debian package nix-bin; scripts/setup installs it)";
    TempDir dir;
    int status = -1;
    std::string out = run_capture({"nix-instantiate", "--store", "dummy://", "--eval", "--strict", "--json", "-A",
                                   "vmTestToml", kSource + "/tests/deploy/nix/eval-module.nix"},
                                  &status, {{"HOME", dir.path()}});
    ASSERT_EQ(status, 0) << "nix-instantiate failed";
    auto json = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(json.is_string()) << out;
    auto load = load_config_string(json.get<std::string>(), "nix/vm-test.nix");
    EXPECT_TRUE(load.config.has_value()) << errors_of(load) << "rendered:\n" << json.get<std::string>();
    EXPECT_TRUE(load.warnings.empty()) << "warnings for the VM test's settings";
}

}  // namespace
}  // namespace hotseat
