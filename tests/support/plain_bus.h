// A dbus-daemon that lets everyone in and everything through, on a socket path the test chooses:
// the guest's system bus (where a logind stand-in lives) or a user's session bus
// (<user_bus_dir>/<uid>/bus, where a notification daemon stand-in lives) in the guest helper's
// tests. Optionally run as another user, as a user's session bus is.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "process.h"

namespace hotseat::test {

class PlainBus {
public:
    // Listens on `socket_path` (its directory is made, owned by `uid`); runs as `uid` (through
    // setpriv) unless it is our own. Throws std::runtime_error when the daemon does not come up.
    explicit PlainBus(std::string socket_path, uid_t uid = ::getuid());
    ~PlainBus();
    PlainBus(const PlainBus&) = delete;
    PlainBus& operator=(const PlainBus&) = delete;

    std::string address() const { return "unix:path=" + socket_path_; }
    std::string output() const { return daemon_->output(); }

private:
    TempDir dir_;
    std::string socket_path_;
    std::unique_ptr<Process> daemon_;
};

}  // namespace hotseat::test
