// The pressure adapter (supervisor/pressure) against the real kernel's PSI. Which file is
// watched is checked with a temp dir standing in for the services' slice; the real test raises
// CPU pressure on this machine (more spinning threads than cores) and waits for the trigger to
// fire through PressureMonitor on an sd-event loop, within a deadline.
#include <dirent.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pressure/pressure_monitor.h"
#include "pressure/psi_trigger.h"
#include "process.h"

namespace hotseat::pressure {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::size_t open_fds() {
    std::size_t n = 0;
    DIR* dir = opendir("/proc/self/fd");
    while (dir && readdir(dir)) ++n;
    if (dir) closedir(dir);
    return n;
}

void require_psi() {
    ASSERT_EQ(access("/proc/pressure/cpu", R_OK | W_OK), 0)
        << "/proc/pressure/cpu is missing: this test needs a kernel with PSI (CONFIG_PSI=y, not psi=0)";
}

TEST(PressureFile, TheSlicesFileWinsWhenItExists) {
    test::TempDir slice;
    test::write_file(slice.file("cpu.pressure"), "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
    auto chosen = choose_pressure_file("", "cpu", slice.path(), "/proc/pressure");
    EXPECT_EQ(chosen.path, slice.file("cpu.pressure"));
    EXPECT_EQ(chosen.why, "the services' slice");
}

TEST(PressureFile, FallsBackToTheSystemWideFileWithoutTheSlice) {
    test::TempDir slice;  // a cgroup v1 or hybrid host: system.slice has no *.pressure
    auto chosen = choose_pressure_file("", "memory", slice.path(), "/proc/pressure");
    EXPECT_EQ(chosen.path, "/proc/pressure/memory");
    EXPECT_EQ(chosen.why, "system-wide (no " + slice.file("memory.pressure") + ")");
}

TEST(PressureFile, AConfiguredPathIsTakenAsItIs) {
    test::TempDir slice;
    test::write_file(slice.file("cpu.pressure"), "");
    auto chosen = choose_pressure_file("/sys/fs/cgroup/other.slice/cpu.pressure", "cpu", slice.path());
    EXPECT_EQ(chosen.path, "/sys/fs/cgroup/other.slice/cpu.pressure");
    EXPECT_EQ(chosen.why, "configured");
}

TEST(PsiTrigger, TheKernelRefusesAStallLongerThanItsWindow) {
    require_psi();
    std::size_t fds_before = open_fds();
    Trigger trigger = open_trigger("/proc/pressure/cpu", 2'000'000, 1'000'000);
    EXPECT_FALSE(trigger.fd);
    EXPECT_EQ(open_fds(), fds_before) << "the refused trigger's file must be closed";
    EXPECT_NE(trigger.error.find("cannot arm \"some 2000000 1000000\""), std::string::npos) << trigger.error;
}

TEST(PsiTrigger, AMissingFileIsReportedWithItsPath) {
    Trigger trigger = open_trigger("/nonexistent/cpu.pressure", 100000, 1000000);
    EXPECT_FALSE(trigger.fd);
    EXPECT_NE(trigger.error.find("cannot open /nonexistent/cpu.pressure"), std::string::npos) << trigger.error;
}

class MonitorTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_GE(sd_event_new(&loop), 0); }
    void TearDown() override {
        monitor.reset();
        sd_event_unref(loop);
    }
    void make_monitor(GovernorConfig config, const std::string& slice_dir) {
        monitor = std::make_unique<PressureMonitor>(
            loop,
            [this](Event e) {
                if (auto* s = std::get_if<PressureStall>(&e)) stalls.push_back(s->resource);
            },
            slice_dir, "/proc/pressure");
        monitor->configure(config);
    }
    // Runs the loop until a stall was reported or the deadline passed.
    bool wait_for_stall(std::chrono::milliseconds timeout) {
        auto deadline = Clock::now() + timeout;
        while (stalls.empty() && Clock::now() < deadline) sd_event_run(loop, 100'000);
        return !stalls.empty();
    }

    sd_event* loop = nullptr;
    std::unique_ptr<PressureMonitor> monitor;
    std::vector<std::string> stalls;
};

TEST_F(MonitorTest, ArmsTheFallbackFilesAndClosesThemOnDisarm) {
    require_psi();
    test::TempDir slice;
    GovernorConfig config;
    config.window_ms = 2000;
    make_monitor(config, slice.path());
    std::size_t fds_before = open_fds();
    monitor->arm();
    EXPECT_EQ(monitor->armed_paths(), (std::vector<std::string>{"/proc/pressure/cpu", "/proc/pressure/memory"}));
    monitor->disarm();
    EXPECT_TRUE(monitor->armed_paths().empty());
    EXPECT_EQ(open_fds(), fds_before) << "disarm must close every trigger";
}

// The trigger is written into the file: only the kernel's PSI may get it (issue #19 item 7). A
// plain file is left out, never written, and the monitor goes on without it.
TEST_F(MonitorTest, AFileThatIsNotPsiIsLeftOutAndNeverWritten) {
    require_psi();
    test::TempDir dir;
    test::write_file(dir.file("fake.pressure"), "");
    GovernorConfig config;
    config.cpu_pressure = dir.file("fake.pressure");
    config.memory_stall_ms = 0;  // not watched
    make_monitor(config, dir.path());
    monitor->arm();
    EXPECT_TRUE(monitor->armed_paths().empty());
    EXPECT_EQ(test::read_file(dir.file("fake.pressure")), "");
}

TEST(PsiTrigger, RefusesAFileOutsideProcfsAndCgroup2BeforeWriting) {
    test::TempDir dir;
    test::write_file(dir.file("victim"), "precious\n");
    std::size_t fds_before = open_fds();
    auto trigger = open_trigger(dir.file("victim"), 150000, 1000000);
    EXPECT_FALSE(trigger.fd);
    EXPECT_EQ(open_fds(), fds_before) << "the refused file must be closed";
    EXPECT_NE(trigger.error.find("not a PSI file"), std::string::npos) << trigger.error;
    EXPECT_EQ(test::read_file(dir.file("victim")), "precious\n");
}

TEST(PsiTrigger, DoesNotFollowASymlink) {
    test::TempDir dir;
    ASSERT_EQ(::symlink("/proc/pressure/cpu", dir.file("cpu.pressure").c_str()), 0);
    auto trigger = open_trigger(dir.file("cpu.pressure"), 150000, 2000000);
    EXPECT_FALSE(trigger.fd);
    EXPECT_NE(trigger.error.find("Too many levels of symbolic links"), std::string::npos) << trigger.error;
}

// The real thing: 4 spinning threads per core keep runnable tasks waiting for a CPU, which is
// what "some" CPU pressure measures; 50 ms of stall within 2 s must fire the trigger.
TEST_F(MonitorTest, RealCpuPressureFiresTheTrigger) {
    require_psi();
    test::TempDir slice;
    GovernorConfig config;
    config.cpu_stall_ms = 50;
    config.memory_stall_ms = 0;
    config.window_ms = 2000;  // without CAP_SYS_RESOURCE the kernel wants multiples of 2 s
    make_monitor(config, slice.path());
    monitor->arm();
    ASSERT_EQ(monitor->armed_paths(), (std::vector<std::string>{"/proc/pressure/cpu"}));

    std::atomic<bool> spin{true};
    std::vector<std::thread> hogs;
    unsigned count = 4 * std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < count; ++i)
        hogs.emplace_back([&spin] {
            while (spin.load(std::memory_order_relaxed)) {}
        });
    auto started = Clock::now();
    bool fired = wait_for_stall(20s);
    auto waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    spin = false;
    for (auto& t : hogs) t.join();

    ASSERT_TRUE(fired) << "no PSI trigger within 20 s under " << count << " spinning threads";
    EXPECT_EQ(stalls.front(), "cpu");
    std::cout << "[ measured ] cpu trigger fired " << waited_ms << " ms after " << count
              << " spinning threads started\n";
}

}  // namespace
}  // namespace hotseat::pressure
