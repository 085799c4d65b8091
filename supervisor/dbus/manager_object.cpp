#include "dbus/manager_object.h"

#include "dbus/bus_boundary.h"
#include "dbus/bus_names.h"
#include "dbus/properties_changed.h"
#include "dbus/sdbus_compat.h"
#include "log.h"

namespace hotseat::dbus {
namespace {

constexpr const char* kInterface = ::org::hotseat::Supervisor1::Manager_adaptor::INTERFACE_NAME;

// What the getters hand out and the setter appends, from one place.
std::vector<sdbus::ObjectPath> vm_paths_to_bus(const std::vector<std::string>& paths) {
    return {paths.begin(), paths.end()};
}

std::vector<sdbus::Struct<std::string, std::string>> monitors_to_bus(const std::vector<MonitorStatus>& monitors) {
    std::vector<sdbus::Struct<std::string, std::string>> out;
    for (const auto& m : monitors) out.emplace_back(m.connector, m.status_text());
    return out;
}

std::vector<sdbus::Struct<std::string, std::string>> keyboards_to_bus(const std::vector<KeyboardInfo>& keyboards) {
    std::vector<sdbus::Struct<std::string, std::string>> out;
    for (const auto& k : keyboards) out.emplace_back(k.node, k.name);
    return out;
}

std::vector<sdbus::Struct<std::string, std::string, std::string>> gpus_to_bus(const std::vector<GpuStatus>& gpus) {
    std::vector<sdbus::Struct<std::string, std::string, std::string>> out;
    for (const auto& g : gpus) out.emplace_back(g.address, g.driver, g.holder);
    return out;
}

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
    // Signatures as in dbus/org.hotseat.Supervisor1.xml; the order is the getters'.
    PropertiesChanged changed(getObject(), kInterface);
    changed.store(properties_.config_path, next.config_path, "ConfigPath", "s");
    changed.store(properties_.config_error, next.config_error, "ConfigError", "s");
    changed.store(properties_.libvirt_connected, next.libvirt_connected, "LibvirtConnected", "b");
    changed.store(properties_.vm_paths, next.vm_paths, "VMs", "ao", vm_paths_to_bus);
    changed.store(properties_.monitors, next.monitors, "Monitors", "a(ss)", monitors_to_bus);
    changed.store(properties_.keyboards, next.keyboards, "Keyboards", "a(ss)", keyboards_to_bus);
    changed.store(properties_.gpus, next.gpus, "Gpus", "a(sss)", gpus_to_bus);
    if (auto error = changed.emit(); !error.empty())
        log::warning("cannot emit PropertiesChanged on ", kManagerPath, ": ", error);
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
    return at_bus_boundary([&] { return vm_paths_to_bus(properties_.vm_paths); });
}

std::vector<sdbus::Struct<std::string, std::string>> ManagerObject::Monitors() {
    return at_bus_boundary([&] { return monitors_to_bus(properties_.monitors); });
}

std::vector<sdbus::Struct<std::string, std::string>> ManagerObject::Keyboards() {
    return at_bus_boundary([&] { return keyboards_to_bus(properties_.keyboards); });
}

std::vector<sdbus::Struct<std::string, std::string, std::string>> ManagerObject::Gpus() {
    return at_bus_boundary([&] { return gpus_to_bus(properties_.gpus); });
}

}  // namespace hotseat::dbus
