// hotseatd as a child process for integration tests, benchmarks and the demo: started against
// an emulated machine (umockdev), a private bus and a libvirt URI, with its own NOTIFY_SOCKET so
// READY=1 is observed, and its log kept for failure reports.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "hotseat/effects.h"
#include "process.h"

namespace hotseat::test {

// An AF_UNIX datagram socket standing in for systemd's notify socket.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path);
    ~NotifySocket();
    const std::string& path() const { return path_; }
    // Waits for a datagram that contains `line` (e.g. "READY=1"); everything read is kept.
    bool wait_for(const std::string& line, std::chrono::milliseconds timeout);
    const std::vector<std::string>& received() const { return received_; }
    // Reads what has arrived so far without waiting; returns how many datagrams in all contain
    // `line` (e.g. "WATCHDOG=1").
    size_t count(const std::string& line);

private:
    std::string path_;
    int fd_ = -1;
    std::vector<std::string> received_;
};

struct DaemonOptions {
    std::string config_path;
    std::string umockdev_dir;  // empty: no umockdev
    std::string bus_address;   // DBUS_SYSTEM_BUS_ADDRESS
    std::string work_dir;      // notify socket and log go here
    std::vector<std::string> extra_args;
    // HOTSEAT_RUNTIME_DIR, where hotseatd reads the hook's release records, is work_dir/run: no
    // test reads the host's /run/hotseat.
};

class DaemonProcess {
public:
    explicit DaemonProcess(DaemonOptions options);  // starts hotseatd (HOTSEATD_PATH)
    // Waits for READY=1; false (with the log available) when it does not come or hotseatd exits
    // without it. The deadline only stops a hang: hotseatd sends READY=1 within its own 5 s once
    // it runs, but a start-up under umockdev on a loaded 2-core machine has taken longer than 15 s.
    bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(90));
    Process& process() { return *process_; }
    NotifySocket& notify() { return *notify_; }
    std::string log() const { return process_->output(); }
    // Whether the log shows hotseatd carrying out `effect`: hotseatd --verbose logs each effect it
    // executes as "effect: " + effect_text(effect) (supervisor/core/effect_text.h).
    bool executed(const Effect& effect) const;

private:
    std::unique_ptr<NotifySocket> notify_;
    std::unique_ptr<Process> process_;
};

// The environment that puts a child under umockdev (preload + testbed root). The preload list
// keeps ASan's runtime first when the tests are built with sanitizers.
std::map<std::string, std::string> umockdev_environment(const std::string& umockdev_dir);

// busctl --system against `bus_address`. get_property returns busctl's value text without the
// type ("off" for `s "off"`), or "" when the call failed.
std::string bus_get_property(const std::string& bus_address, const std::string& path, const std::string& interface,
                             const std::string& property);
std::string vm_state(const std::string& bus_address, const std::string& encoded_vm);
std::string vm_property(const std::string& bus_address, const std::string& encoded_vm, const std::string& property);
std::string manager_property(const std::string& bus_address, const std::string& property);
// busctl call of a VM method (Start, Stop, ForceStop ...); returns busctl's exit status.
int call_vm(const std::string& bus_address, const std::string& encoded_vm, const std::string& method);
// Manager.Reload() via busctl: synchronous, so its return means the reload is over. Returns
// busctl's exit status, what it printed (the refusal on stderr) in *message.
int call_reload(const std::string& bus_address, std::string* message);

}  // namespace hotseat::test
