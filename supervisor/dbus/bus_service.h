// hotseatd on the system bus: owns the connection, the manager object and one object per VM,
// and publishes what the engine's effects say. Runs entirely on the sd-event loop thread.
//
// Start-up order: construct (objects registered), publish the initial effects, request_name(),
// attach(loop). Nothing of this class may be touched from another thread.
#pragma once

#include <systemd/sd-event.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dbus/gatekeeper.h"
#include "dbus/manager_object.h"
#include "dbus/sd_event_bus_source.h"
#include "dbus/vm_object.h"
#include "hotseat/effects.h"
#include "hotseat/engine.h"

namespace sdbus {
class IConnection;
class IProxy;
}  // namespace sdbus

namespace hotseat::dbus {

class BusService {
public:
    // What the daemon does when a caller (already authorised) asks for something.
    struct Handlers {
        std::function<CommandReply(const Command&)> command;           // VM Start/Stop/Toggle/ForceStop/Hibernate
        std::function<std::string()> reload;                           // returns the error text; empty = ok
        std::function<CommandReply(const PostponeRequest&)> postpone;  // VM Postpone
    };

    // Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured) and registers the manager
    // object and one object per VM name, without taking the bus name yet. Throws sdbus::Error
    // when the bus is unreachable.
    BusService(const std::vector<std::string>& vm_names, Handlers handlers, std::string control_group,
               std::string version = HOTSEAT_VERSION);
    ~BusService();
    BusService(const BusService&) = delete;
    BusService& operator=(const BusService&) = delete;

    // Takes org.hotseat.Supervisor1. Throws std::runtime_error naming the likely cause when the
    // name is owned already or the bus policy does not allow us to own it.
    void request_name();

    // Lets `loop` drive the connection (io + timer sources). Call once.
    void attach(sd_event* loop);

    // Runs `then` on the loop thread once the bus daemon has handled every message sent here
    // before this call: the bus daemon handles one connection's messages in order, so its answer
    // to a call made after them (GetId) comes once it has passed them on. Runs `then` after
    // `timeout` without that answer (a stuck bus daemon delays, never stops, what waits), and at
    // once when the connection is not driven by a loop yet (before attach()) or the call cannot be
    // sent. The daemon holds its libvirt work on this (docs/design.md, "Tell first, then work").
    void after_delivered(std::function<void()> then, std::chrono::milliseconds timeout);

    // Writes out queued messages (at shutdown), waiting at most `timeout`.
    void flush(std::chrono::milliseconds timeout = std::chrono::seconds(1));

    // The configured VMs changed (reload): objects of VMs no longer configured go away
    // (InterfacesRemoved), new ones appear (InterfacesAdded); the VMs property follows.
    void set_vms(const std::vector<std::string>& vm_names);
    void set_control_group(std::string group) { gatekeeper_.set_control_group(std::move(group)); }
    void set_config(std::string path, std::string error);

    void publish(const PublishVm& effect);  // an unknown VM name is logged and ignored
    void publish(const PublishMonitors& effect);
    void publish(const PublishLibvirtConnected& effect);
    void publish(const PublishGpus& effect);
    void publish_keyboards(std::vector<KeyboardInfo> keyboards);
    void publish_guest_helper(const std::string& vm, const std::string& version);  // unknown VM: ignored
    void emit(const RuleFired& effect);

    sdbus::IConnection& connection() { return *connection_; }

private:
    void add_vm(const std::string& name);
    void run_command(const Command& command);
    void run_postpone(const PostponeRequest& request);
    void run_reload();
    std::vector<VmListEntry> list_vms() const;
    std::vector<std::string> vm_paths() const;

    Handlers handlers_;
    Gatekeeper gatekeeper_;
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<ManagerObject> manager_;
    std::unique_ptr<sdbus::IProxy> bus_daemon_;  // org.freedesktop.DBus itself, for after_delivered()
    std::vector<std::string> vm_order_;          // configuration order, for VMs and ListVMs
    std::map<std::string, std::unique_ptr<VmObject>> vms_;
    std::unique_ptr<SdEventBusSource> source_;
};

}  // namespace hotseat::dbus
