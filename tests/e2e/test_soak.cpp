// scripts/soak (docs/hardware-checklist.md) run for real against the e2e sandbox: hotseatd on
// the emulated machine, a real libvirtd booting the tiny guest. The script reads the GPU's
// driver, the vtconsoles and the connectors from /sys, which umockdev's preload (inherited
// from this process) turns into the test bed; a qemu hook in the sandbox plays a GPU that does
// not come back, a vm.stopped rule plays the restart loop of a connector settling after the stop.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "e2e_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

// The console as the host has it at rest: a dummy console and the bound frame-buffer console.
void add_vtconsoles(Testbed& testbed) {
    testbed.add_device("vtconsole", "vtcon0", "", {{"name", "(S) dummy device"}, {"bind", "0"}}, {});
    testbed.add_device("vtconsole", "vtcon1", "", {{"name", "(M) frame buffer device"}, {"bind", "1"}}, {});
}

struct SoakRun {
    int status = -1;
    std::string output;  // what it printed
    std::string report;  // the report file
};

class SoakE2e : public E2e {
protected:
    // A plugged monitor at rest (set before hotseatd starts: recorded, never a plug), the
    // consoles, and the config's stop timeout short: the soak stops the guest while it boots,
    // before it listens to ACPI, so every stop is the forced one a second later.
    void start_for_soak(ScenarioOptions options = {}) {
        add_vtconsoles(testbed_);  // top-level: /sys/devices/vtcon0 and vtcon1
        std::filesystem::create_directories(testbed_.root() + "/sys/bus/pci/drivers/vfio-pci");
        testbed_.set_connector_status("HDMI-A-1", "connected");
        options.shutdown_timeout_s = 1;
        ASSERT_NO_FATAL_FAILURE(start(options));
    }

    SoakRun soak(unsigned cycles) {
        const std::string report = dir_.file("soak-report.txt");
        int status = -1;
        std::string out = run_capture(
            {HOTSEAT_SOAK_PATH, "--vm", kVm, "--cycles", std::to_string(cycles), "--dwell", "0", "--settle", "2",
             "--timeout", "30", "--connector", "HDMI-A-1", "--report", report},
            &status, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}, {"HOTSEATCTL", HOTSEATCTL_PATH}});
        SoakRun run{status, out, std::filesystem::exists(report) ? read_file(report) : ""};
        if (std::getenv("HOTSEAT_E2E_VERBOSE")) std::cerr << "---- soak report ----\n" << run.report;
        return run;
    }
};

TEST_F(SoakE2e, CyclesPassWhenTheGpuConsoleAndConnectorComeBack) {
    ASSERT_NO_FATAL_FAILURE(start_for_soak());
    auto run = soak(2);
    EXPECT_EQ(run.status, 0) << run.output << run.report;
    EXPECT_NE(run.report.find("at rest:    driver i915; console (S)_dummy_device=0 (M)_frame_buffer_device=1 ; "
                              "connectors HDMI-A-1=connected"),
              std::string::npos)
        << run.report;
    EXPECT_NE(run.report.find("result:     2 of 2 cycles passed"), std::string::npos) << run.report;
    EXPECT_NE(run.report.find("time to running: min "), std::string::npos) << run.report;
    EXPECT_NE(run.report.find("---- hotseatctl monitor --json during the run ----"), std::string::npos) << run.report;
    EXPECT_NE(run.report.find("\"check\": \"domain\""), std::string::npos) << "no doctor output\n" << run.report;
    EXPECT_EQ(state(), "off");
}

// Every stop starts the VM again (a vm.stopped rule stands in for hotseatd reading a connector
// that settles after the GPU's return as a plug): the first cycle fails and the run ends there.
TEST_F(SoakE2e, ARestartAfterTheStopFailsTheCycle) {
    ScenarioOptions options;
    options.rules = "\n[[rule]]\nname = \"respawn\"\non = \"vm.stopped\"\naction = \"start\"\nvm = \"e2e-guest\"\n";
    ASSERT_NO_FATAL_FAILURE(start_for_soak(options));
    auto run = soak(3);
    EXPECT_EQ(run.status, 1) << run.output << run.report;
    // The problem line quotes the events that show the restart: the rule firing after the stop.
    auto line = run.report.find("       - restarted after the stop (State ");
    ASSERT_NE(line, std::string::npos) << run.report;
    const std::string problem = run.report.substr(line, run.report.find('\n', line) - line);
    EXPECT_NE(problem.find("\"type\":\"rule-fired\",\"rule\":\"respawn\""), std::string::npos) << problem;
    EXPECT_NE(run.report.find("stopping after the first failed cycle"), std::string::npos) << run.report;
    EXPECT_NE(run.report.find("result:     0 of 1 cycles passed, 1 FAILED"), std::string::npos) << run.report;
}

// The GPU stays with vfio-pci and the frame-buffer console unbound after the stop: a qemu hook
// in the sandbox does to the test bed at `release end` what a failed handback leaves behind.
class SoakGpuKeptE2e : public SoakE2e {
protected:
    LibvirtSandbox::Options sandbox_options() const override {
        auto options = SoakE2e::sandbox_options();
        const std::string igpu = testbed_.root() + testbed_.pci_syspath();
        options.qemu_hook_script =
            "#!/bin/sh\n"
            "[ \"$2 $3\" = \"release end\" ] || exit 0\n"
            "ln -sfn ../../../bus/pci/drivers/vfio-pci '" +
            igpu +
            "/driver'\n"
            "echo 0 > '" +
            testbed_.root() + "/sys/devices/vtcon1/bind'\n";
        return options;
    }
};

TEST_F(SoakGpuKeptE2e, AGpuThatStaysWithVfioFailsTheCycle) {
    ASSERT_NO_FATAL_FAILURE(start_for_soak());
    auto run = soak(2);
    EXPECT_EQ(run.status, 1) << run.output << run.report;
    EXPECT_NE(run.report.find("       - driver vfio-pci (at rest: i915)"), std::string::npos) << run.report;
    EXPECT_NE(run.report.find("       - console (S)_dummy_device=0 (M)_frame_buffer_device=0 "), std::string::npos)
        << run.report;
    EXPECT_NE(run.report.find("result:     0 of 1 cycles passed, 1 FAILED"), std::string::npos) << run.report;
}

}  // namespace
}  // namespace hotseat::test
