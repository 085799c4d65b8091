#include "bus_client.h"

#include <systemd/sd-bus.h>

#include <cstdlib>

#include "dbus/bus_names.h"
#include "dbus/sdbus_compat.h"
#include "failure.h"
#include "util/handles.h"

namespace hotseat::ctl {
namespace {

constexpr const char* kBusDaemon = "org.freedesktop.DBus";
constexpr const char* kBusDaemonPath = "/org/freedesktop/DBus";

std::string system_bus_description() {
    const char* address = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
    return address && *address ? address : "unix:path=/run/dbus/system_bus_socket";
}

}  // namespace

ManagerProxy::ManagerProxy(sdbus::IConnection& connection, RuleFiredHandler on_rule_fired)
    : ProxyInterfaces(connection, dbus::sdbus_compat::ServiceName{dbus::kBusName},
                      sdbus::ObjectPath{dbus::kManagerPath}),
      on_rule_fired_(std::move(on_rule_fired)) {
    registerProxy();
}

ManagerProxy::~ManagerProxy() { unregisterProxy(); }

void ManagerProxy::onRuleFired(const std::string& rule, const std::string& event, const std::string& vm,
                               const std::string& action) {
    if (on_rule_fired_) on_rule_fired_(rule, event, vm, action);
}

VmProxy::VmProxy(sdbus::IConnection& connection, const std::string& path, ChangeHandler on_change)
    : ProxyInterfaces(connection, dbus::sdbus_compat::ServiceName{dbus::kBusName}, sdbus::ObjectPath{path}),
      on_change_(std::move(on_change)) {
    registerProxy();
}

VmProxy::~VmProxy() { unregisterProxy(); }

void VmProxy::onPropertiesChanged(const proxy_compat::InterfaceName& interface,
                                  const proxy_compat::ChangedProperties& changed,
                                  const proxy_compat::InvalidatedProperties&) {
    if (on_change_ && interface == org::hotseat::Supervisor1::VM_proxy::INTERFACE_NAME)
        on_change_(proxy_compat::to_property_map(changed));
}

Bus::Bus() {
    try {
        connection_ = sdbus::createSystemBusConnection();
    } catch (const sdbus::Error& e) {
        throw Failure(kUnreachable,
                      "cannot connect to the system bus at " + system_bus_description() + ": " + e.getMessage());
    }
}

bool Bus::daemon_on_bus() {
    auto proxy = dbus::sdbus_compat::create_proxy(*connection_, kBusDaemon, kBusDaemonPath);
    bool owned = false;
    on_bus("asking the bus about hotseatd", [&] {
        proxy->callMethod("NameHasOwner")
            .onInterface(kBusDaemon)
            .withArguments(std::string(dbus::kBusName))
            .storeResultsTo(owned);
    });
    return owned;
}

void Bus::require_daemon() {
    if (!daemon_on_bus())
        throw Failure(kUnreachable,
                      "hotseatd is not running (nobody owns org.hotseat.Supervisor1 on the system "
                      "bus at " +
                          system_bus_description() + "; try: systemctl status hotseatd)");
}

std::string Bus::vm_path(const std::string& name, const std::string& context) {
    ManagerProxy manager(*connection_);
    auto vms = on_bus(context, [&] { return manager.ListVMs(); });
    std::string names;
    for (const auto& vm : vms) {
        if (vm.get<0>() == name) return vm.get<1>();
        names += (names.empty() ? "" : ", ") + vm.get<0>();
    }
    throw Failure(kNotFound, context + ": no such VM: hotseatd manages " + (names.empty() ? "no VMs" : names));
}

PropertyMap Bus::get_all(const std::string& path, const std::string& interface) {
    auto proxy = dbus::sdbus_compat::create_proxy(*connection_, dbus::kBusName, path);
    PropertyMap properties;
    on_bus("reading " + path, [&] {
        proxy->callMethod("GetAll")
            .onInterface("org.freedesktop.DBus.Properties")
            .withArguments(interface)
            .storeResultsTo(properties);
    });
    return properties;
}

DaemonPresenceWatch::DaemonPresenceWatch(sdbus::IConnection& connection, std::function<void(bool)> on_change) {
    std::string rule = std::string("type='signal',sender='") + kBusDaemon + "',interface='" + kBusDaemon +
                       "',member='NameOwnerChanged',arg0='" + dbus::kBusName + "'";
    slot_ = on_bus("watching hotseatd's bus name", [&] {
        return dbus::sdbus_compat::add_match(connection, rule,
                                             [on_change = std::move(on_change)](sdbus::Message& message) {
                                                 std::string name, old_owner, new_owner;
                                                 message >> name >> old_owner >> new_owner;
                                                 on_change(!new_owner.empty());
                                             });
    });
}

std::string vm_name_from_path(const std::string& path) {
    char* name = nullptr;
    if (sd_bus_path_decode(path.c_str(), dbus::kVmPathPrefix, &name) <= 0 || !name) return {};
    util::Malloced<char> owner(name);
    std::string out = name;
    // sd_bus_path_decode is lenient: it takes everything below the prefix, slashes included
    // (".../vm/a/b" gives "a/b"), and passes malformed escapes (".../vm/_hr2d") through. Only
    // the path hotseatd itself would publish for a name names a VM (found by fuzz_dbus_names).
    return dbus::vm_object_path(out) == path ? out : std::string();
}

}  // namespace hotseat::ctl
