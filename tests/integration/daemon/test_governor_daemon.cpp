// The governor through the whole daemon: hotseatd adopts a running test-driver domain, arms
// its PSI trigger on /proc/pressure/cpu (the fallback here: the test's slice dir does not exist
// on this hybrid-cgroup machine, and the default slice file neither), real CPU pressure raised
// by this test climbs the first rung (Step), the test driver's refusal lands in LastError, and
// stopping the only running VM closes the trigger again: no fd while nothing runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "hotseatd_test.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

const std::string kRunning = "already_2drunning";  // sd_bus_path_encode("already-running")

std::string config_text() {
    return supervisor_section() +
           "[governor]\nenable = true\ncpu_pressure = \"/proc/pressure/cpu\"\ncpu_stall_ms = 50\n"
           "memory_stall_ms = 0\nwindow_ms = 2000\nstep_s = 3600\ncalm_s = 3600\n"
           "[[vm]]\nname = \"already-running\"\nshutdown_timeout_s = 5\n";
}

// The files hotseatd holds open whose path starts with `prefix`.
std::vector<std::string> open_files(pid_t pid, const std::string& prefix) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
        auto target = std::filesystem::read_symlink(entry.path(), ec);
        if (!ec && target.string().rfind(prefix, 0) == 0) out.push_back(target.string());
    }
    return out;
}

using GovernorDaemon = HotseatdTest;

TEST_F(GovernorDaemon, PressureClimbsTheLadderAndTriggersCloseWhenNothingRuns) {
    ASSERT_EQ(access("/proc/pressure/cpu", W_OK), 0) << "needs a kernel with PSI (/proc/pressure/cpu)";
    write_config(config_text());
    ASSERT_NO_FATAL_FAILURE(start_daemon());
    pid_t pid = daemon_->process().pid();
    ASSERT_TRUE(wait_until([&] { return vm_state(bus_.address(), kRunning) == "running"; }));
    ASSERT_TRUE(wait_until([&] { return open_files(pid, "/proc/pressure/").size() == 1; }, 5s))
        << "the trigger is not open while a VM runs";
    EXPECT_NE(daemon_->log().find("governor: watching cpu pressure in /proc/pressure/cpu (configured)"),
              std::string::npos);

    std::atomic<bool> spin{true};
    std::vector<std::thread> hogs;
    for (unsigned i = 0; i < 4 * std::max(1u, std::thread::hardware_concurrency()); ++i)
        hogs.emplace_back([&spin] {
            while (spin.load(std::memory_order_relaxed)) {}
        });
    bool climbed = wait_until(
        [&] {
            return vm_property(bus_.address(), kRunning, "Step") == "governor: host under cpu pressure: CPU weight 10";
        },
        20s);
    spin = false;
    for (auto& t : hogs) t.join();
    ASSERT_TRUE(climbed) << "Step is " << vm_property(bus_.address(), kRunning, "Step");
    // The test driver has no live cpu_shares: the refusal is reported, the VM runs on.
    EXPECT_TRUE(wait_until([&] {
        return vm_property(bus_.address(), kRunning, "LastError")
                   .rfind("governor: setting the CPU weight failed: ", 0) == 0;
    })) << vm_property(bus_.address(), kRunning, "LastError");
    EXPECT_EQ(vm_state(bus_.address(), kRunning), "running");

    call_vm(bus_.address(), kRunning, "Stop");
    ASSERT_TRUE(wait_until([&] { return vm_state(bus_.address(), kRunning) == "off"; }));
    EXPECT_TRUE(wait_until([&] { return open_files(pid, "/proc/pressure/").empty(); }, 5s))
        << "the trigger stays open with no VM running";
    EXPECT_EQ(vm_property(bus_.address(), kRunning, "Step"), "");
}

}  // namespace
}  // namespace hotseat::test
