// A private, system-like dbus-daemon for tests: Debian's system.conf minus what needs a real
// system (user switch, fork, pidfile, syslog, activation), listening on a socket in a temporary
// directory, with the project's shipped policy (dbus/org.hotseat.Supervisor1.conf) in force.
// Export address() as DBUS_SYSTEM_BUS_ADDRESS to make the system bus this one.
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace hotseat::test {

class PrivateBus {
public:
    struct Options {
        // Adds a mandatory allow-all policy for org.hotseat.Supervisor1, so that a test can reach
        // the daemon's own authorisation check past the shipped policy.
        bool permissive = false;
    };

    // Starts dbus-daemon and waits until it listens; throws std::runtime_error (with the
    // daemon's output) when it does not come up.
    PrivateBus();
    explicit PrivateBus(Options options);
    ~PrivateBus();  // stops the daemon
    PrivateBus(const PrivateBus&) = delete;
    PrivateBus& operator=(const PrivateBus&) = delete;

    const std::string& address() const { return address_; }
    void stop() { daemon_->stop(); }                          // the bus goes away, as when dbus-daemon dies
    pid_t pid() const { return daemon_->pid(); }              // e.g. to SIGSTOP it and back up writers
    std::string output() const { return daemon_->output(); }  // dbus-daemon's messages

private:
    void write_config(const Options& options);

    TempDir dir_;
    std::unique_ptr<Process> daemon_;
    std::string address_;
};

// Debian's system.conf rewritten for a private daemon (exposed for tests of this helper).
std::string system_like_config(const std::string& system_conf, const std::string& listen_address,
                               const std::string& policy_dir);

}  // namespace hotseat::test
