// The stand-in for hotseatd of the D-Bus adapter tests and of hotseatctl's tests that need a
// daemon in states the real one cannot be held in: a private system bus, the real BusService on
// a thread-free sd-event loop in this process with command handlers the test answers, a second
// connection recording the service's signals, and helpers that run busctl / dbus-send while the
// loop keeps turning.
#pragma once

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-event.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dbus/bus_service.h"
#include "dbus/sd_event_bus_source.h"
#include "dbus/sdbus_compat.h"
#include "private_bus.h"
#include "process.h"

namespace hotseat::test {

inline constexpr const char* kArchPath = "/org/hotseat/Supervisor1/vm/arch_2ddesktop";
inline constexpr const char* kWinPath = "/org/hotseat/Supervisor1/vm/win11";

struct Captured {
    std::string output;  // stdout and stderr together
    int status = -1;
};

// One signal the watcher saw. args: for PropertiesChanged the interface then the changed
// property names; for RuleFired its four strings; for InterfacesAdded/Removed the object path.
struct SeenSignal {
    std::string path;
    std::string member;
    std::vector<std::string> args;
    // PropertiesChanged only: the changed values and the invalidated names.
    std::map<std::string, sdbus::Variant> values;
    std::vector<std::string> invalidated;
};

class DbusServiceTest : public ::testing::Test {
protected:
    // The control_group the stand-in is configured with; no user is in it.
    static constexpr const char* kControlGroup = "hotseat-test-nobody-is-in-this-group";

    virtual bool permissive_bus() const { return false; }
    void SetUp() override;
    void TearDown() override;

    // Turns the loop until `condition` holds or the deadline passes.
    bool pump_until(const std::function<bool()>& condition,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Runs a command to completion while the loop keeps serving the bus.
    Captured run(std::vector<std::string> argv, bool as_nobody = false);
    Captured busctl(std::vector<std::string> args, bool as_nobody = false);
    // dbus-send --print-reply: shows D-Bus error names ("Error org.foo.Bar: message").
    Captured dbus_send(const std::string& path, const std::string& method, bool as_nobody = false);

    // Waits until every signal emitted so far has reached the watcher (a sentinel RuleFired
    // sent last must arrive last), so that absent signals can be asserted.
    void settle_signals();
    std::vector<SeenSignal> seen(const std::string& member) const;
    void forget_signals() { signals_.clear(); }

    std::unique_ptr<PrivateBus> bus_;
    sd_event* loop_ = nullptr;
    std::unique_ptr<dbus::BusService> service_;
    std::vector<Command> commands_;                // what reached the command handler
    std::map<std::string, CommandReply> replies_;  // per VM; default Accepted
    std::vector<PostponeRequest> postpones_;       // what reached the postpone handler
    int reloads_ = 0;
    std::string reload_error_;
    bool throw_from_handler_ = false;

private:
    void record(sdbus::Message& message);

    std::unique_ptr<sdbus::IConnection> watcher_;
    std::unique_ptr<dbus::SdEventBusSource> watcher_source_;
    sdbus::Slot match_;
    std::vector<SeenSignal> signals_;
    int sentinels_ = 0;
};

class PermissiveBusTest : public DbusServiceTest {
protected:
    bool permissive_bus() const override { return true; }
};

}  // namespace hotseat::test
