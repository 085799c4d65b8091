// Real hugepages: the tiny guest backed by hugetlbfs (<memoryBacking><hugepages/>) in the
// sandboxed libvirtd, with the real hotseat-hook installed as the sandbox's
// /etc/libvirt/hooks/qemu.d/hotseat. A monitor plug boots it through hotseatd; the hook raises
// the host's real nr_hugepages by exactly what the guest lacks, QEMU maps its RAM from those
// pages, and after the unplug the pool is back where it was. The pool is the host's (hugetlb
// has no namespace): the test puts nr_hugepages back even when it fails.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "e2e_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

const std::string kPool = "/sys/kernel/mm/hugepages/hugepages-2048kB";

// The host's real pool. This process runs under umockdev's preload, which would answer /sys
// from the test bed, so reads and writes go through a child with a clean environment.
std::uint64_t read_pool(const std::string& name) {
    int status = -1;
    std::string text = run_capture({"env", "-i", "/bin/cat", kPool + "/" + name}, &status);
    if (status != 0) throw std::runtime_error("cannot read " + kPool + "/" + name);
    return std::stoull(text);
}

void write_nr_hugepages(std::uint64_t count) {
    int status = -1;
    run_capture({"env", "-i", "/bin/sh", "-c", "echo " + std::to_string(count) + " > " + kPool + "/nr_hugepages"},
                &status);
    if (status != 0) throw std::runtime_error("cannot write " + kPool + "/nr_hugepages");
}

// Remembers nr_hugepages when a test begins and writes it back when the test object goes,
// after TearDown has killed every QEMU of the sandbox (so the pages are free again).
class PoolGuard {
public:
    PoolGuard() : before_(read_pool("nr_hugepages")) {}
    ~PoolGuard() {
        try {
            if (read_pool("nr_hugepages") != before_) write_nr_hugepages(before_);
        } catch (const std::exception& e) {
            std::cerr << "could not restore " << kPool << "/nr_hugepages to " << before_ << ": " << e.what() << "\n";
        }
    }
    PoolGuard(const PoolGuard&) = delete;
    PoolGuard& operator=(const PoolGuard&) = delete;

private:
    std::uint64_t before_;
};

class HugepagesE2e : public E2e {
protected:
    LibvirtSandbox::Options sandbox_options() const override {
        auto options = E2e::sandbox_options();
        options.hugetlbfs = true;
        // libvirtd gives hooks only LC_ALL, PATH and HOME: the wrapper points the real hook at
        // this test's config and runtime directory, and keeps a copy of what it says.
        options.qemu_hook_script =
            "#!/bin/sh\n"
            "export HOTSEAT_CONFIG='" +
            dir_.file("hotseat.toml") +
            "'\n"
            "export HOTSEAT_RUNTIME_DIR='" +
            runtime_dir() +
            "'\n"
            "echo \"hotseat-hook $*\" >> '" +
            hook_log() +
            "'\n"
            "err=$(mktemp)\n"
            "'" HOTSEAT_HOOK_PATH
            "' \"$@\" 2> \"$err\"\n"
            "status=$?\n"
            "cat \"$err\" >> '" +
            hook_log() +
            "'\n"
            "cat \"$err\" >&2\n"
            "rm -f \"$err\"\n"
            "exit $status\n";
        return options;
    }

    std::string runtime_dir() const { return dir_.file("hook-run"); }
    std::string hook_log() const { return dir_.file("hook.log"); }
    std::string undo_log() const { return runtime_dir() + "/" + kVm + ".undo"; }

    void TearDown() override {
        if (HasFailure()) std::cerr << "---- hook log ----\n" << read_file(hook_log());
        E2e::TearDown();
    }

    PoolGuard guard_;
};

TEST_F(HugepagesE2e, HookRaisesThePoolForTheGuestAndRestoresItAfterwards) {
    Stopwatch watch("hugepages-hook");
    ScenarioOptions options;
    options.guest.hugepages = true;
    options.guest.memory_mib = 192;
    const std::uint64_t needed = 192 / 2;  // 2 MiB pages
    ASSERT_NO_FATAL_FAILURE(start(options));
    watch.lap("setup");
    const std::uint64_t total_before = read_pool("nr_hugepages");
    const std::uint64_t free_before = read_pool("free_hugepages");
    const std::uint64_t added = needed > free_before ? needed - free_before : 0;

    // hotseatctl doctor against the real libvirtd (read-only) and the host's real /sys (a
    // clean environment, no umockdev): the hook is there, the domain exists, has no balloon, and
    // its hugepages fit. This machine has no IOMMU, but no VM here lists gpu devices.
    // (JSON: the table's layout is for people and changes with the checks that speak.)
    int doctor_status = -1;
    std::string doctor = run_capture(
        {"env", "-i", "PATH=/usr/bin:/bin", HOTSEATCTL_PATH, "doctor", "--json", "--config", dir_.file("hotseat.toml"),
         "--hook", libvirt_->root() + "/etc/hooks/qemu.d/hotseat"},
        &doctor_status);
    EXPECT_EQ(doctor_status, 0) << doctor;
    std::vector<std::string> findings;
    auto json = nlohmann::json::parse(doctor, nullptr, false);
    for (const auto& f : json.is_discarded() ? nlohmann::json::array() : json["findings"])
        findings.push_back(f["status"].get<std::string>() + " " + f["check"].get<std::string>() + " " +
                           f["message"].get<std::string>());
    auto has = [&](const std::string& prefix) {
        return std::any_of(findings.begin(), findings.end(),
                           [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
    };
    for (const std::string prefix :
         {"ok hook ", "ok domain ", "ok balloon ", "ok hugepages the domain asks for 96 hugepages of 2048 kB"})
        EXPECT_TRUE(has(prefix)) << "no '" << prefix << "' in\n" << doctor;
    watch.lap("doctor");

    ASSERT_NO_FATAL_FAILURE(plug_and_boot(watch));
    const std::uint64_t total_running = read_pool("nr_hugepages");
    std::cerr << "e2e hugepages: nr_hugepages " << total_before << " (" << free_before << " free) -> " << total_running
              << " while the guest runs\n";
    EXPECT_EQ(total_running, total_before + added) << "hook log:\n" << read_file(hook_log());
    // QEMU's RAM is a file in the sandbox's hugetlbfs, drawn from the pool: the pages are in
    // use or reserved for it.
    std::uint64_t taken = read_pool("nr_hugepages") - read_pool("free_hugepages") + read_pool("resv_hugepages");
    EXPECT_GE(taken, needed);
    pid_t qemu = libvirt_->qemu_pid(kVm);
    ASSERT_NE(qemu, 0);
    std::string cmdline = read_file("/proc/" + std::to_string(qemu) + "/cmdline");
    EXPECT_NE(cmdline.find(libvirt_->root() + "/hugepages"), std::string::npos) << "QEMU is not on hugetlbfs";
    EXPECT_TRUE(std::filesystem::exists(undo_log())) << "the hook kept no undo log";

    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off")) << "State is " << state();
    watch.lap("unplug->off");
    EXPECT_TRUE(wait_until([&] { return read_pool("nr_hugepages") == total_before; }, 10s))
        << "nr_hugepages is " << read_pool("nr_hugepages") << ", was " << total_before << "\nhook log:\n"
        << read_file(hook_log());
    watch.lap("off->pool-restored");
    EXPECT_FALSE(std::filesystem::exists(undo_log())) << read_file(undo_log());
    const std::string log = read_file(hook_log());
    EXPECT_NE(log.find("hotseat-hook e2e-guest prepare begin -"), std::string::npos) << log;
    EXPECT_NE(log.find("hotseat-hook e2e-guest release end -"), std::string::npos) << log;
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
