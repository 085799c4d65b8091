// hotseatctl's side of the bus: one system bus connection, the proxies generated from
// dbus/org.hotseat.Supervisor1.xml, and the look-ups every command needs. Bus errors leave this
// file as Failure (see failure.h), already in words.
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hotseat/dbus/supervisor1_proxy.h"
#include "proxy_compat.h"

namespace hotseat::ctl {

// The Manager object. RuleFired goes to the handler given (none: ignored).
class ManagerProxy final : public sdbus::ProxyInterfaces<org::hotseat::Supervisor1::Manager_proxy> {
public:
    using RuleFiredHandler = std::function<void(const std::string& rule, const std::string& event,
                                                const std::string& vm, const std::string& action)>;
    explicit ManagerProxy(sdbus::IConnection& connection, RuleFiredHandler on_rule_fired = {});
    ~ManagerProxy();

private:
    void onRuleFired(const std::string& rule, const std::string& event, const std::string& vm,
                     const std::string& action) override;
    RuleFiredHandler on_rule_fired_;
};

// One VM object. PropertiesChanged of the VM interface goes to the handler given.
class VmProxy final : public sdbus::ProxyInterfaces<org::hotseat::Supervisor1::VM_proxy, sdbus::Properties_proxy> {
public:
    using ChangeHandler = std::function<void(const PropertyMap& changed)>;
    VmProxy(sdbus::IConnection& connection, const std::string& path, ChangeHandler on_change = {});
    ~VmProxy();

private:
    void onPropertiesChanged(const proxy_compat::InterfaceName& interface,
                             const proxy_compat::ChangedProperties& changed,
                             const proxy_compat::InvalidatedProperties& invalidated) override;
    ChangeHandler on_change_;
};

class Bus {
public:
    // Connects to the system bus ($DBUS_SYSTEM_BUS_ADDRESS or the default socket); throws
    // Failure(kUnreachable) when there is none.
    Bus();
    sdbus::IConnection& connection() { return *connection_; }

    // Whether hotseatd holds its name on the bus now.
    bool daemon_on_bus();
    // Throws Failure(kUnreachable) unless daemon_on_bus().
    void require_daemon();
    // The object path of the VM called `name`; Failure(kNotFound) naming the configured VMs.
    std::string vm_path(const std::string& name, const std::string& context);
    // Properties.GetAll of `interface` on `path`.
    PropertyMap get_all(const std::string& path, const std::string& interface);

private:
    std::unique_ptr<sdbus::IConnection> connection_;
};

// Calls `on_change(true|false)` whenever hotseatd takes or drops its bus name.
class DaemonPresenceWatch {
public:
    DaemonPresenceWatch(sdbus::IConnection& connection, std::function<void(bool on_bus)> on_change);

private:
    sdbus::Slot slot_;
};

// "arch-desktop" for "/org/hotseat/Supervisor1/vm/arch_2ddesktop"; "" for other paths.
std::string vm_name_from_path(const std::string& path);

}  // namespace hotseat::ctl
