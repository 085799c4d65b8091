// libvirt's polkit access control with hotseat's shipped rules (rules/polkit/hotseat-libvirt.rules,
// docs/robustness.md "libvirt access"), against the sandboxed real libvirtd with
// access_drivers = [ "polkit" ], a polkitd of its own and libvirt's own action files. The user
// `hotseat` may do to the domains it manages what hotseatd does, and nothing else: not another
// domain, not define or delete one, not read secrets, not the networks. Root keeps everything.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "libvirt_sandbox.h"
#include "process.h"

namespace hotseat::test {
namespace {

constexpr const char* kRules = HOTSEAT_SOURCE_DIR "/rules/polkit/hotseat-libvirt.rules";

// The shipped rules with the domain list an administrator (or the NixOS module) fills in.
std::string rules_for(const std::string& domains_json) {
    std::string text = read_file(kRules);
    const std::string line = "var hotseatDomains = [\"arch-desktop\"];";
    auto at = text.find(line);
    if (at == std::string::npos) throw std::runtime_error(std::string(kRules) + " has no line " + line);
    return text.replace(at, line.size(), "var hotseatDomains = " + domains_json + ";");
}

// A domain QEMU can run without a disk: SeaBIOS finds nothing to boot and waits.
std::string domain_xml(const std::string& name) {
    return "<domain type='qemu'><name>" + name +
           "</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>"
           "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
           "<features><acpi/></features>"
           "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
           "<graphics type='vnc' autoport='yes' passwd='secret'/></devices></domain>";
}

class LibvirtPolkit : public ::testing::Test {
protected:
    void SetUp() override {
        LibvirtSandbox::Options options;
        options.polkit_rules = rules_for("[\"managed\"]");
        sandbox = std::make_unique<LibvirtSandbox>(options);
        sandbox->define(domain_xml("managed"));  // as root: root keeps full access
        sandbox->define(domain_xml("other"));
    }
    void TearDown() override {
        if (HasFailure()) std::cerr << sandbox->logs();
        sandbox->virsh({"destroy", "managed"});
        sandbox->virsh({"destroy", "other"});
    }

    // virsh as the user hotseat: its output, and whether libvirt said "access denied".
    struct Outcome {
        std::string output;
        int status = -1;
        bool denied() const { return output.find("access denied") != std::string::npos; }
        // A domain the user may not even look up (getattr) is reported as not found.
        bool refused() const {
            return status != 0 && (denied() || output.find("failed to get domain") != std::string::npos);
        }
    };
    Outcome as_hotseat(const std::vector<std::string>& args) {
        Outcome o;
        o.output = sandbox->virsh_as_hotseat(args, &o.status);
        return o;
    }

    std::unique_ptr<LibvirtSandbox> sandbox;
};

TEST_F(LibvirtPolkit, HotseatDoesWhatHotseatdDoesToItsDomains) {
    auto start = as_hotseat({"start", "managed"});
    ASSERT_EQ(start.status, 0) << start.output;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"domstate", "managed"},
             {"dominfo", "managed"},
             {"dumpxml", "managed"},
             {"suspend", "managed"},
             {"resume", "managed"},
             {"shutdown", "managed"},  // the ACPI power button
         }) {
        auto o = as_hotseat(args);
        EXPECT_EQ(o.status, 0) << args[0] << ": " << o.output;
        EXPECT_FALSE(o.denied()) << args[0] << ": " << o.output;
    }
    // The governor's scheduler and balloon changes need `write`, hibernation `pm-control`;
    // libvirt may refuse for its own reasons here (the sandbox mounts no cgroup controller, the
    // guest has no agent), but never for want of permission.
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"schedinfo", "managed"},
             {"schedinfo", "managed", "--live", "--set", "cpu_shares=512"},
             {"setmem", "managed", "16M", "--live"},
             {"dompmsuspend", "managed", "disk"},
             {"dompmwakeup", "managed"},
         }) {
        auto o = as_hotseat(args);
        EXPECT_FALSE(o.denied()) << args[0] << ": " << o.output;
    }
    auto destroy = as_hotseat({"destroy", "managed"});
    EXPECT_EQ(destroy.status, 0) << destroy.output;
}

TEST_F(LibvirtPolkit, HotseatMayDoNothingElse) {
    ASSERT_EQ(sandbox->virsh({"start", "other"}).find("error"), std::string::npos);
    const std::string file = sandbox->root() + "/new.xml";
    write_file(file, domain_xml("new"));
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"destroy", "other"},
             {"suspend", "other"},
             {"shutdown", "other"},
             {"dominfo", "other"},                       // not even seen
             {"dumpxml", "--security-info", "managed"},  // VNC password, secrets
             {"define", file},
             {"undefine", "managed"},
             {"setmem", "managed", "16M", "--config"},  // persistent changes need `save`
             {"net-list", "--all"},
             {"pool-list", "--all"},
             {"nodedev-list"},
         }) {
        auto o = as_hotseat(args);
        EXPECT_TRUE(o.refused()) << args[0] << " " << args.back() << ": " << o.output;
    }
    // Listing shows the managed domain alone: the others are filtered out.
    auto list = as_hotseat({"list", "--all", "--name"});
    EXPECT_EQ(list.status, 0) << list.output;
    EXPECT_NE(list.output.find("managed"), std::string::npos) << list.output;
    EXPECT_EQ(list.output.find("other"), std::string::npos) << list.output;
}

TEST_F(LibvirtPolkit, OtherUsersAreLeftToTheirOwnRules) {
    // Root (the administrator) is not hotseat: the rules say nothing about it.
    int status = -1;
    std::string out = sandbox->virsh({"start", "other"}, &status);
    EXPECT_EQ(status, 0) << out;
    out = sandbox->virsh({"destroy", "other"}, &status);
    EXPECT_EQ(status, 0) << out;
}

}  // namespace
}  // namespace hotseat::test
