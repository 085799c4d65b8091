// `hotseatctl monitor [--json]`: rule firings and property changes, live, until Ctrl-C.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bus_client.h"
#include "bus_loop.h"
#include "commands.h"
#include "dbus/bus_names.h"
#include "dbus/sdbus_compat.h"
#include "event_printer.h"
#include "failure.h"

namespace hotseat::ctl {
namespace {

// PropertiesChanged of every object hotseatd has, the VMs of a later reload included.
std::string properties_changed_rule() {
    return std::string("type='signal',sender='") + dbus::kBusName +
           "',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',path_namespace='" +
           dbus::kManagerPath + "'";
}

sdbus::Slot watch_properties(sdbus::IConnection& connection, EventPrinter& printer) {
    return on_bus("subscribing to property changes", [&] {
        return dbus::sdbus_compat::add_match(
            connection, properties_changed_rule(), [&printer](sdbus::Message& message) {
                std::string interface;
                PropertyMap changed;
                std::vector<std::string> invalidated;
                message >> interface >> changed >> invalidated;
                printer.properties_changed(message.getPath(), interface, changed, invalidated);
            });
    });
}

int run_monitor(bool json) {
    Bus bus;
    EventPrinter printer(std::cout, json);
    ManagerProxy manager(bus.connection(),
                         [&](const std::string& rule, const std::string& event, const std::string& vm,
                             const std::string& action) { printer.rule_fired(rule, event, vm, action); });
    auto properties = watch_properties(bus.connection(), printer);
    DaemonPresenceWatch presence(bus.connection(), [&](bool on_bus) { printer.daemon_presence(on_bus); });
    // Asked after subscribing: from the answer on, no event can be missed.
    bus.require_daemon();
    std::cerr << "Watching hotseatd on the system bus (Ctrl-C to stop)." << std::endl;
    run_bus_loop(
        bus.connection(), [] { return false; }, LoopOptions{std::nullopt, true});
    return kOk;
}

}  // namespace

void add_monitor_command(CLI::App& app, int& exit_code) {
    auto json = std::make_shared<bool>(false);
    auto* monitor = app.add_subcommand("monitor",
                                       "Print rule firings and state changes as they happen, one "
                                       "line each with a timestamp, until interrupted");
    monitor->add_flag("--json", *json, "Print JSON lines (one object per event)");
    monitor->callback([json, &exit_code] { exit_code = run_monitor(*json); });
}

}  // namespace hotseat::ctl
