// The whole loop with a real hypervisor: hotseatd as a process on an emulated machine (umockdev
// testbed with the reference iGPU and its HDMI-A-1 connector) and a private system bus, driving
// a sandboxed real libvirtd that boots the tiny e2e guest under TCG. A missing component or
// guest image is a failure that says to run scripts/setup, never a skip.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "e2e_guest.h"
#include "hotseatd_test.h"
#include "libvirt_sandbox.h"

namespace hotseat::test {

// Named steps of one scenario, printed to stderr when it ends.
class Stopwatch {
public:
    explicit Stopwatch(std::string scenario);
    void lap(const std::string& step);  // time since the previous lap (or the start)
    void print() const;

private:
    using Clock = std::chrono::steady_clock;
    std::string scenario_;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_ = start_;
    std::vector<std::pair<std::string, double>> laps_;
};

// `busctl --system monitor org.hotseat.Supervisor1` kept running: every PropertiesChanged the
// daemon emits, in order, as JSON lines.
class BusRecorder {
public:
    BusRecorder(const std::string& bus_address, const std::string& output_file);
    std::string text() const { return process_->output(); }
    // The values LibvirtConnected took in PropertiesChanged signals, in order ("false", "true").
    std::vector<std::string> libvirt_connected_changes() const;

private:
    std::unique_ptr<Process> process_;
};

struct ScenarioOptions {
    GuestOptions guest;
    unsigned shutdown_timeout_s = 10;
    std::string usb;                                 // the [[vm]]'s usb = ... value (TOML), empty for none
    std::string vm_keys = "idle_timeout_min = 0\n";  // more [[vm]] keys (TOML lines)
    std::string rules;                               // more [[rule]]s (TOML)
};

class E2e : public HotseatdTest {
protected:
    static constexpr const char* kVm = "e2e-guest";
    static constexpr const char* kVmPath = "e2e_2dguest";  // sd_bus_path_encode("e2e-guest")

    void SetUp() override;
    void TearDown() override;
    // The sandbox SetUp starts; a scenario needing more (hugetlbfs, the hook) overrides it.
    virtual LibvirtSandbox::Options sandbox_options() const;

    // Defines the guest, writes hotseatd's config and starts hotseatd (waits for READY=1).
    void start(ScenarioOptions options);
    // A second (third ...) hotseatd on the same config, as after a crash and a restart.
    void restart_daemon();
    void kill_daemon();  // SIGKILL

    std::string state() const { return vm_state(bus_.address(), kVmPath); }
    std::string reason() const { return vm_property(bus_.address(), kVmPath, "Reason"); }
    std::string libvirt_connected() const;
    bool state_becomes(const std::string& state, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Plug the desk monitor, wait for the guest's ready marker and State running.
    void plug_and_boot(Stopwatch& watch);

    GuestImage image_;
    std::unique_ptr<LibvirtSandbox> libvirt_;
    std::unique_ptr<SerialConsole> serial_;
    std::unique_ptr<BusRecorder> recorder_;
    int daemon_runs_ = 0;
};

}  // namespace hotseat::test
