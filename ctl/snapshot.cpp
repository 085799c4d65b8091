#include "snapshot.h"

#include "dbus/bus_names.h"
#include "hotseat/dbus/supervisor1_proxy.h"

namespace hotseat::ctl {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

template <typename T>
void take(const PropertyMap& properties, const std::string& name, T& into) {
    auto it = properties.find(name);
    if (it != properties.end() && it->second.containsValueOfType<T>()) into = it->second.get<T>();
}

void take_pairs(const PropertyMap& properties, const std::string& name, Pairs& into) {
    std::vector<sdbus::Struct<std::string, std::string>> raw;
    take(properties, name, raw);
    for (const auto& entry : raw) into.emplace_back(entry.get<0>(), entry.get<1>());
}

void take_paths(const PropertyMap& properties, const std::string& name, std::vector<std::string>& into) {
    std::vector<sdbus::ObjectPath> raw;
    take(properties, name, raw);
    into.assign(raw.begin(), raw.end());
}

}  // namespace

VmSnapshot vm_snapshot(const std::string& path, const PropertyMap& properties) {
    VmSnapshot vm;
    vm.path = path;
    take(properties, "Name", vm.name);
    take(properties, "State", vm.state);
    take(properties, "Step", vm.step);
    take(properties, "Reason", vm.reason);
    take(properties, "LastError", vm.last_error);
    take(properties, "StateChangedAt", vm.state_changed_at_us);
    take(properties, "Devices", vm.devices);
    sdbus::Struct<std::uint64_t, std::string, std::string> pending{0, "", ""};
    take(properties, "PendingStop", pending);
    vm.pending_stop_us = pending.get<0>();
    vm.pending_action = pending.get<1>();
    vm.pending_reason = pending.get<2>();
    take(properties, "IdleInhibitor", vm.idle_inhibitor);
    take(properties, "GuestHelper", vm.guest_helper);
    if (vm.name.empty()) vm.name = vm_name_from_path(path);
    return vm;
}

ManagerSnapshot manager_snapshot(const PropertyMap& properties) {
    ManagerSnapshot manager;
    take(properties, "Version", manager.version);
    take(properties, "ConfigPath", manager.config_path);
    take(properties, "ConfigError", manager.config_error);
    take(properties, "LibvirtConnected", manager.libvirt_connected);
    take_paths(properties, "VMs", manager.vm_paths);
    take_pairs(properties, "Monitors", manager.monitors);
    take_pairs(properties, "Keyboards", manager.keyboards);
    std::vector<sdbus::Struct<std::string, std::string, std::string>> gpus;
    take(properties, "Gpus", gpus);
    for (const auto& g : gpus) manager.gpus.push_back(GpuSnapshot{g.get<0>(), g.get<1>(), g.get<2>()});
    return manager;
}

StatusSnapshot read_status(Bus& bus) {
    StatusSnapshot status;
    status.manager = manager_snapshot(
        bus.get_all(dbus::kManagerPath, org::hotseat::Supervisor1::Manager_proxy::INTERFACE_NAME));
    for (const auto& path : status.manager.vm_paths)
        status.vms.push_back(vm_snapshot(path, bus.get_all(path, org::hotseat::Supervisor1::VM_proxy::INTERFACE_NAME)));
    return status;
}

}  // namespace hotseat::ctl
