// The one fixture for tests that run hotseatd as a process: a temporary directory, a umockdev
// testbed in this process (so the test binary runs under umockdev's preload), a private
// system-like bus with the shipped policy, the config file, and hotseatd once a test starts it.
// hotseatd's log is printed when a test fails. A test names the libvirt URI in its config:
// kTestDriverUri for libvirt's test driver, a LibvirtSandbox's uri() for the real libvirtd.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "private_bus.h"
#include "process.h"
#include "testbed.h"

namespace hotseat::test {

// libvirt's test driver on tests/data/libvirt/node.xml (arch-desktop shut off, already-running
// running); it lives inside hotseatd, so each hotseatd starts from that file again.
inline const std::string kTestDriverUri = "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml";

// A config's first lines: [supervisor] with the libvirt URI (the test driver unless named).
inline std::string supervisor_section(const std::string& libvirt_uri = kTestDriverUri) {
    return "[supervisor]\nlibvirt_uri = \"" + libvirt_uri + "\"\n";
}

class HotseatdTest : public ::testing::Test {
protected:
    void TearDown() override;

    void write_config(const std::string& text) { write_file(config_, text); }
    // Starts hotseatd on config_ and waits for READY=1; a fatal failure when it does not come.
    // work_dir (notify socket, log, HOTSEAT_RUNTIME_DIR = work_dir/run) defaults to dir_.
    void start_daemon(const std::string& work_dir = {});
    // hotseatd as start_daemon starts it, for a test that runs one more itself.
    DaemonOptions daemon_options(const std::string& work_dir = {}) const;

    // Waits (a hang guard only) until the VM's State property reads `state`.
    bool state_becomes(const std::string& encoded_vm, const std::string& state,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));
    bool log_has(const std::string& text) const { return daemon_->log().find(text) != std::string::npos; }
    bool log_shows(const std::string& text);  // waits until the log has `text`

    TempDir dir_;
    Testbed testbed_;
    PrivateBus bus_;
    std::string config_ = dir_.file("hotseat.toml");
    std::unique_ptr<DaemonProcess> daemon_;
    std::string past_logs_;  // the logs of the hotseatd runs before daemon_, for failure reports
};

}  // namespace hotseat::test
