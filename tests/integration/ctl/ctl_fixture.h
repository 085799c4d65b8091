// hotseatctl against the real daemon: hotseatd runs as a process on a private system-like bus
// (the shipped policy) over a umockdev testbed (Intel iGPU, card0-HDMI-A-1) and libvirt's test
// driver (tests/data/libvirt/node.xml: arch-desktop shut off, already-running running); each
// hotseatctl run is a child process with DBUS_SYSTEM_BUS_ADDRESS pointing at that bus.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "hotseatd_test.h"

namespace hotseat::test {

inline constexpr const char* kArch = "arch_2ddesktop";  // sd_bus_path_encode("arch-desktop")

struct ConfigOptions {
    bool shared_gpu = false;  // already-running lists arch-desktop's GPU too
    int debounce_ms = 200;
    bool ghost_vm = false;       // a VM "ghost" that libvirt has no domain for
    std::string arch_keys = {};  // more keys for arch-desktop's [[vm]]
    std::string rules = {};      // more [[rule]]s
};

// The test configuration: arch-desktop (GPU 0000:00:02.0) started by rule desk-monitor when
// HDMI-A-1 is connected and stopped by desk-unplug, and already-running.
std::string ctl_test_config(const ConfigOptions& options = {});

class CtlTest : public HotseatdTest {
protected:
    void SetUp() override;

    void write_config(const ConfigOptions& options) { HotseatdTest::write_config(ctl_test_config(options)); }

    // Runs hotseatctl ARGS to completion; as nobody through setpriv when asked.
    CommandResult ctl(const std::vector<std::string>& args, bool as_nobody = false);
    // Starts hotseatctl ARGS in the background (monitor), stdout and stderr to one file.
    std::unique_ptr<Process> spawn_ctl(const std::vector<std::string>& args);
    // The environment a hotseatctl child gets: this bus, and not umockdev's preload.
    std::map<std::string, std::string> ctl_environment() const;
};

// Lines of `text`, without their '\n'.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace hotseat::test
