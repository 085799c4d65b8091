#include "dbus/bus_service.h"

#include <poll.h>

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "dbus/bus_boundary.h"
#include "dbus/bus_names.h"
#include "dbus/sdbus_compat.h"
#include "log.h"

namespace hotseat::dbus {

BusService::BusService(const std::vector<std::string>& vm_names, Handlers handlers, std::string control_group,
                       std::string version)
    : handlers_(std::move(handlers)),
      gatekeeper_(std::move(control_group)),
      connection_(sdbus::createSystemBusConnection()),
      bus_daemon_(sdbus_compat::create_proxy(*connection_, "org.freedesktop.DBus", "/org/freedesktop/DBus")) {
    ManagerRequests requests{[this] { run_reload(); }, [this] { return list_vms(); }};
    manager_ = std::make_unique<ManagerObject>(*connection_, std::move(version), gatekeeper_, std::move(requests));
    for (const auto& name : vm_names) add_vm(name);
    auto properties = manager_->properties();
    properties.vm_paths = vm_paths();
    manager_->update(properties);
}

BusService::~BusService() = default;

void BusService::request_name() {
    try {
        sdbus_compat::request_name(*connection_, kBusName);
    } catch (const sdbus::Error& e) {
        throw std::runtime_error(std::string("cannot own ") + kBusName + " on the system bus: " + e.getMessage() +
                                 " (is another hotseatd running? is the bus policy " + kBusName + ".conf installed?)");
    }
}

void BusService::attach(sd_event* loop) { source_ = std::make_unique<SdEventBusSource>(loop, *connection_); }

void BusService::after_delivered(std::function<void()> then, std::chrono::milliseconds timeout) {
    if (!source_) {
        then();
        return;
    }
    try {
        // The answer, an error and the timeout all mean the same here: go on.
        (void)bus_daemon_->callMethodAsync(sdbus_compat::MethodName{"GetId"})
            .onInterface(sdbus_compat::InterfaceName{"org.freedesktop.DBus"})
            .withTimeout(timeout)
            .uponReplyInvoke([then](sdbus_compat::AsyncCallError, std::string) { then(); });
    } catch (const sdbus::Error& e) {
        log::debug("not waiting for the bus daemon (", e.getMessage(), ")");
        then();
    }
}

void BusService::flush(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto poll_data = sdbus_compat::poll_data(*connection_);
        if (!(poll_data.events & POLLOUT)) return;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return;
        pollfd fd{poll_data.fd, POLLOUT, 0};
        ::poll(&fd, 1, static_cast<int>(left.count()));
        while (sdbus_compat::process_pending(*connection_)) {}
    }
}

void BusService::add_vm(const std::string& name) {
    if (vms_.count(name)) return;
    auto object = std::make_unique<VmObject>(
        *connection_, vm_object_path(name), name, gatekeeper_, [this](const Command& command) { run_command(command); },
        [this](const PostponeRequest& request) { run_postpone(request); });
    vms_.emplace(name, std::move(object));
    vm_order_.push_back(name);
}

void BusService::set_vms(const std::vector<std::string>& vm_names) {
    std::set<std::string> wanted(vm_names.begin(), vm_names.end());
    for (auto it = vms_.begin(); it != vms_.end();) {
        if (wanted.count(it->first)) {
            ++it;
            continue;
        }
        it->second->emitInterfacesRemovedSignal();
        it = vms_.erase(it);
    }
    std::vector<std::string> added;
    for (const auto& name : vm_names)
        if (!vms_.count(name)) {
            add_vm(name);
            added.push_back(name);
        }
    vm_order_.clear();
    for (const auto& name : vm_names)
        if (std::find(vm_order_.begin(), vm_order_.end(), name) == vm_order_.end()) vm_order_.push_back(name);
    for (const auto& name : added) vms_.at(name)->emitInterfacesAddedSignal();
    auto properties = manager_->properties();
    properties.vm_paths = vm_paths();
    manager_->update(properties);
}

void BusService::set_config(std::string path, std::string error) {
    auto properties = manager_->properties();
    properties.config_path = std::move(path);
    properties.config_error = std::move(error);
    manager_->update(properties);
}

void BusService::publish(const PublishVm& effect) {
    auto it = vms_.find(effect.status.name);
    if (it == vms_.end()) {
        log::warning("not publishing unknown VM '", effect.status.name, "' on the bus");
        return;
    }
    it->second->update(effect.status);
}

void BusService::publish_guest_helper(const std::string& vm, const std::string& version) {
    auto it = vms_.find(vm);
    if (it != vms_.end()) it->second->set_guest_helper(version);
}

void BusService::publish(const PublishMonitors& effect) {
    auto properties = manager_->properties();
    properties.monitors = effect.monitors;
    manager_->update(properties);
}

void BusService::publish(const PublishLibvirtConnected& effect) {
    auto properties = manager_->properties();
    properties.libvirt_connected = effect.connected;
    manager_->update(properties);
}

void BusService::publish(const PublishGpus& effect) {
    auto properties = manager_->properties();
    properties.gpus = effect.gpus;
    manager_->update(properties);
}

void BusService::publish_keyboards(std::vector<KeyboardInfo> keyboards) {
    auto properties = manager_->properties();
    properties.keyboards = std::move(keyboards);
    manager_->update(properties);
}

void BusService::emit(const RuleFired& effect) { manager_->emit_rule_fired(effect); }

void BusService::run_command(const Command& command) {
    if (!handlers_.command) throw sdbus_compat::error(error::kFailed, "commands are not available");
    throw_unless_accepted(handlers_.command(command));
}

void BusService::run_postpone(const PostponeRequest& request) {
    if (!handlers_.postpone) throw sdbus_compat::error(error::kFailed, "Postpone is not available");
    throw_unless_accepted(handlers_.postpone(request));
}

void BusService::run_reload() {
    if (!handlers_.reload) throw sdbus_compat::error(error::kFailed, "Reload is not available");
    std::string problem = handlers_.reload();
    if (!problem.empty()) throw sdbus_compat::error(error::kInvalidConfig, problem);
}

std::vector<VmListEntry> BusService::list_vms() const {
    std::vector<VmListEntry> out;
    for (const auto& name : vm_order_) {
        const auto& object = *vms_.at(name);
        out.push_back({name, object.path(), std::string(to_string(object.status().state))});
    }
    return out;
}

std::vector<std::string> BusService::vm_paths() const {
    std::vector<std::string> out;
    for (const auto& name : vm_order_) out.push_back(vms_.at(name)->path());
    return out;
}

}  // namespace hotseat::dbus
