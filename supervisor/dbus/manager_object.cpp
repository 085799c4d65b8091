#include "dbus/manager_object.h"

#include "dbus/bus_boundary.h"
#include "dbus/bus_names.h"
#include "dbus/property_diff.h"
#include "dbus/sdbus_compat.h"
#include "log.h"

namespace hotseat::dbus {
namespace {

constexpr const char* kInterface = ::org::hotseat::Supervisor1::Manager_adaptor::INTERFACE_NAME;

}  // namespace

ManagerObject::ManagerObject(sdbus::IConnection& connection, std::string version, const Gatekeeper& gatekeeper,
                             ManagerRequests requests)
    : AdaptorInterfaces(connection, sdbus::ObjectPath{kManagerPath}),
      version_(std::move(version)),
      gatekeeper_(gatekeeper),
      requests_(std::move(requests)) {
    registerAdaptor();
}

ManagerObject::~ManagerObject() { unregisterAdaptor(); }

void ManagerObject::update(const ManagerProperties& next) {
    std::vector<std::string> changed;
    store_if_changed(properties_.config_path, next.config_path, "ConfigPath", changed);
    store_if_changed(properties_.config_error, next.config_error, "ConfigError", changed);
    store_if_changed(properties_.libvirt_connected, next.libvirt_connected, "LibvirtConnected", changed);
    store_if_changed(properties_.vm_paths, next.vm_paths, "VMs", changed);
    store_if_changed(properties_.monitors, next.monitors, "Monitors", changed);
    store_if_changed(properties_.keyboards, next.keyboards, "Keyboards", changed);
    store_if_changed(properties_.gpus, next.gpus, "Gpus", changed);
    if (changed.empty()) return;
    try {
        sdbus_compat::emit_properties_changed(getObject(), kInterface, changed);
    } catch (const sdbus::Error& e) {
        log::warning("cannot emit PropertiesChanged on ", kManagerPath, ": ", e.getMessage());
    }
}

void ManagerObject::emit_rule_fired(const RuleFired& fired) {
    try {
        emitRuleFired(fired.rule, fired.event, fired.vm, fired.action);
    } catch (const sdbus::Error& e) {
        log::warning("cannot emit RuleFired: ", e.getMessage());
    }
}

void ManagerObject::Reload() {
    at_bus_boundary([&] {
        gatekeeper_.admit(getObject(), "Reload");
        if (!requests_.reload) throw sdbus_compat::error(error::kFailed, "Reload is not available");
        requests_.reload();
    });
}

std::vector<sdbus::Struct<std::string, sdbus::ObjectPath, std::string>> ManagerObject::ListVMs() {
    return at_bus_boundary([&] {
        std::vector<sdbus::Struct<std::string, sdbus::ObjectPath, std::string>> out;
        if (!requests_.list_vms) return out;
        for (const auto& vm : requests_.list_vms()) out.emplace_back(vm.name, sdbus::ObjectPath(vm.path), vm.state);
        return out;
    });
}

std::string ManagerObject::Version() {
    return at_bus_boundary([&] { return version_; });
}

std::string ManagerObject::ConfigPath() {
    return at_bus_boundary([&] { return properties_.config_path; });
}

std::string ManagerObject::ConfigError() {
    return at_bus_boundary([&] { return properties_.config_error; });
}

bool ManagerObject::LibvirtConnected() { return properties_.libvirt_connected; }

std::vector<sdbus::ObjectPath> ManagerObject::VMs() {
    return at_bus_boundary(
        [&] { return std::vector<sdbus::ObjectPath>(properties_.vm_paths.begin(), properties_.vm_paths.end()); });
}

std::vector<sdbus::Struct<std::string, std::string>> ManagerObject::Monitors() {
    return at_bus_boundary([&] {
        std::vector<sdbus::Struct<std::string, std::string>> out;
        for (const auto& m : properties_.monitors) out.emplace_back(m.connector, m.status_text());
        return out;
    });
}

std::vector<sdbus::Struct<std::string, std::string>> ManagerObject::Keyboards() {
    return at_bus_boundary([&] {
        std::vector<sdbus::Struct<std::string, std::string>> out;
        for (const auto& k : properties_.keyboards) out.emplace_back(k.node, k.name);
        return out;
    });
}

std::vector<sdbus::Struct<std::string, std::string, std::string>> ManagerObject::Gpus() {
    return at_bus_boundary([&] {
        std::vector<sdbus::Struct<std::string, std::string, std::string>> out;
        for (const auto& g : properties_.gpus) out.emplace_back(g.address, g.driver, g.holder);
        return out;
    });
}

}  // namespace hotseat::dbus
