// hotseatctl doctor against a real libvirtd (the e2e sandbox, QEMU driver) holding the shipped
// example domains (docs/examples): what libvirt's test driver cannot show. The QEMU driver
// keeps <qemu:override> (the test driver drops it), reports the real QEMU's version through
// virConnectGetVersion, and answers virConnectGetDomainCapabilities. The iGPU itself is the
// umockdev test bed's, inherited by hotseatctl from this process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "e2e_guest.h"
#include "libvirt_sandbox.h"
#include "process.h"
#include "testbed.h"

namespace hotseat::test {
namespace {

// One PCI option ROM image for 8086:46d0, EFI: what EfiRom -f 0x8086 -i 0x46d0 writes.
std::string igd_rom() {
    std::string rom(1024, '\0');
    auto put16 = [&](std::size_t at, unsigned v) { rom[at] = char(v & 0xff), rom[at + 1] = char(v >> 8); };
    rom[0] = '\x55', rom[1] = '\xaa';
    put16(0x18, 0x1c);
    rom.replace(0x1c, 4, "PCIR");
    put16(0x20, 0x8086), put16(0x22, 0x46d0), put16(0x2c, 2);
    rom[0x28] = 3, rom[0x30] = 3, rom[0x31] = '\x80';
    return rom;
}

// The example as shipped, made definable here: plain QEMU (no usable KVM on the build machine)
// and this test's ROM file.
std::string example(const std::string& file, const std::string& rom) {
    std::string xml = read_file(std::string(HOTSEAT_SOURCE_DIR) + "/docs/examples/" + file);
    xml = std::regex_replace(xml, std::regex("<domain type='kvm'"), "<domain type='qemu'");
    return std::regex_replace(xml, std::regex("<rom file='[^']*'/>"), "<rom file='" + rom + "'/>");
}

// "QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u7)" → {7, 2, 19}
std::vector<unsigned> qemu_version() {
    std::smatch m;
    std::string out = run_capture({"qemu-system-x86_64", "--version"});
    if (!std::regex_search(out, m, std::regex(R"(version (\d+)\.(\d+)\.(\d+))"))) return {};
    return {unsigned(std::stoul(m[1])), unsigned(std::stoul(m[2])), unsigned(std::stoul(m[3]))};
}

struct Finding {
    std::string status, message;
};

class DoctorLibvirtd : public ::testing::Test {
protected:
    void SetUp() override {
        try {
            libvirt_ = std::make_unique<LibvirtSandbox>(
                LibvirtSandbox::Options{.cache_dir = guest_libvirt_cache_dir()});
        } catch (const std::exception& e) {
            FAIL() << e.what() << "\n(a component missing? run scripts/setup)";
        }
        testbed_.add_intel_igpu();
        write_file(rom_, igd_rom());
        write_file(hook_, "#!/bin/sh\n", 0755);
        write_file(config_, "[supervisor]\nlibvirt_uri = \"" + libvirt_->uri() +
                                "\"\n\n[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n");
    }
    void TearDown() override {
        if (HasFailure()) std::cerr << libvirt_->logs();
    }

    // The findings of `check` for arch-desktop.
    std::vector<Finding> doctor(const std::string& check, const std::vector<std::string>& extra = {}) {
        std::vector<std::string> argv{HOTSEATCTL_PATH, "doctor", "--json", "--config", config_, "--hook", hook_};
        argv.insert(argv.end(), extra.begin(), extra.end());
        output_ = run_capture(argv);
        std::vector<Finding> out;
        auto json = nlohmann::json::parse(output_, nullptr, false);
        if (json.is_discarded()) return out;
        for (const auto& f : json["findings"])
            if (f["check"] == check) out.push_back({f["status"], f["message"]});
        return out;
    }

    TempDir dir_;
    Testbed testbed_;
    std::unique_ptr<LibvirtSandbox> libvirt_;
    std::string rom_ = dir_.file("igd.rom");
    std::string hook_ = dir_.file("hook");
    std::string config_ = dir_.file("hotseat.toml");
    std::string output_;
};

TEST_F(DoctorLibvirtd, TheShippedExamplesPassTheIgdChecksAgainstTheRealQemuDriver) {
    auto version = qemu_version();
    ASSERT_EQ(version.size(), 3u) << "qemu-system-x86_64 --version says no version";
    const std::string qemu = "QEMU " + std::to_string(version[0]) + "." + std::to_string(version[1]) + "." +
                             std::to_string(version[2]);

    for (const char* file : {"arch-desktop.xml", "arch-desktop-legacy.xml"}) {
        SCOPED_TRACE(file);
        // Both define the same domain; without a <uuid> a second define is another domain.
        libvirt_->virsh({"undefine", "--nvram", "arch-desktop"});
        libvirt_->define(example(file, rom_));
        auto address = doctor("igd-address");
        ASSERT_EQ(address.size(), 1u) << output_;
        EXPECT_EQ(address[0].status, "ok") << address[0].message;
        auto rom = doctor("igd-rom");
        ASSERT_EQ(rom.size(), 1u) << output_;
        EXPECT_EQ(rom[0].status, "ok") << rom[0].message;

        // The real version from virConnectGetVersion, and x-igd-opregion=on read back from the
        // <qemu:override> libvirt kept.
        auto opregion = doctor("igd-opregion");
        ASSERT_EQ(opregion.size(), 1u) << output_;
        if (version[0] < 10) {
            EXPECT_EQ(opregion[0].status, "warning") << opregion[0].message;
            EXPECT_EQ(opregion[0].message.rfind(qemu + " is older than 10.0", 0), 0u) << opregion[0].message;
            EXPECT_NE(opregion[0].message.find("; x-igd-opregion is on"), std::string::npos) << opregion[0].message;
        } else {
            EXPECT_EQ(opregion[0].status, "ok") << opregion[0].message;
            EXPECT_EQ(opregion[0].message.rfind(qemu, 0), 0u) << opregion[0].message;
        }
        // Judged as QEMU 10.0, which needs the property: it is there.
        opregion = doctor("igd-opregion", {"--qemu-version", "10.0.0"});
        ASSERT_EQ(opregion.size(), 1u) << output_;
        EXPECT_EQ(opregion[0].status, "ok") << opregion[0].message;
        EXPECT_EQ(opregion[0].message, "QEMU 10.0.0, x-igd-opregion is on: the guest gets the host's OpRegion");

        // Domain capabilities answered by libvirtd (not "cannot ask"), and read as virsh shows them.
        int status = -1;
        std::string caps = libvirt_->virsh({"domcapabilities", "--virttype", "qemu", "--arch", "x86_64", "--machine",
                                            std::string(file) == "arch-desktop.xml" ? "q35" : "pc"},
                                           &status);
        ASSERT_EQ(status, 0) << caps;
        auto firmware = doctor("firmware");
        ASSERT_EQ(firmware.size(), 1u) << output_;
        const bool efi = caps.find("<value>efi</value>") != std::string::npos;
        EXPECT_EQ(firmware[0].status, efi ? "ok" : "error") << firmware[0].message << "\n" << caps;
    }
}

// The same example without its <qemu:override>, judged as QEMU 10.0: the OpRegion is missing.
TEST_F(DoctorLibvirtd, WithoutTheOverrideQemu100GetsNoOpregion) {
    std::string xml = example("arch-desktop.xml", rom_);
    // The element itself (at the start of its line), not its mention in a comment.
    xml = std::regex_replace(xml, std::regex("\n  <qemu:override>[\\s\\S]*</qemu:override>"), "");
    ASSERT_EQ(xml.find("x-igd-opregion"), std::string::npos) << xml;
    libvirt_->define(xml);
    auto opregion = doctor("igd-opregion", {"--qemu-version", "10.0.0"});
    ASSERT_EQ(opregion.size(), 1u) << output_;
    EXPECT_EQ(opregion[0].status, "error") << opregion[0].message;
}

}  // namespace
}  // namespace hotseat::test
