// The manager object /org/hotseat/Supervisor1: org.hotseat.Supervisor1.Manager plus
// org.freedesktop.DBus.ObjectManager. Properties are read from stored values that change only
// through update(), which emits PropertiesChanged for exactly what changed.
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <functional>
#include <string>
#include <vector>

#include "dbus/gatekeeper.h"
#include "hotseat/dbus/supervisor1_adaptor.h"
#include "hotseat/effects.h"

namespace hotseat::dbus {

struct KeyboardInfo {
    std::string node;  // "/dev/input/event7"
    std::string name;  // "Logitech USB Receiver"
    bool operator==(const KeyboardInfo&) const = default;
};

// Everything the Manager interface publishes except the constant Version.
struct ManagerProperties {
    std::string config_path;
    std::string config_error;
    bool libvirt_connected = false;
    std::vector<std::string> vm_paths;
    std::vector<MonitorStatus> monitors;
    std::vector<KeyboardInfo> keyboards;
    std::vector<GpuStatus> gpus;
    bool operator==(const ManagerProperties&) const = default;
};

struct VmListEntry {
    std::string name;
    std::string path;
    std::string state;
};

struct ManagerRequests {
    std::function<void()> reload;  // throws sdbus::Error when refused
    std::function<std::vector<VmListEntry>()> list_vms;
};

class ManagerObject final : public sdbus::AdaptorInterfaces<::org::hotseat::Supervisor1::Manager_adaptor,
                                                            sdbus::ObjectManager_adaptor, sdbus::Properties_adaptor> {
public:
    ManagerObject(sdbus::IConnection& connection, std::string version, const Gatekeeper& gatekeeper,
                  ManagerRequests requests);
    ~ManagerObject();

    // The one setter: stores `next`, emits PropertiesChanged for the properties that differ.
    void update(const ManagerProperties& next);
    const ManagerProperties& properties() const { return properties_; }

    void emit_rule_fired(const RuleFired& fired);

private:
    void Reload() override;
    std::vector<sdbus::Struct<std::string, sdbus::ObjectPath, std::string>> ListVMs() override;

    std::string Version() override;
    std::string ConfigPath() override;
    std::string ConfigError() override;
    bool LibvirtConnected() override;
    std::vector<sdbus::ObjectPath> VMs() override;
    std::vector<sdbus::Struct<std::string, std::string>> Monitors() override;
    std::vector<sdbus::Struct<std::string, std::string>> Keyboards() override;
    std::vector<sdbus::Struct<std::string, std::string, std::string>> Gpus() override;

    const std::string version_;
    const Gatekeeper& gatekeeper_;
    ManagerRequests requests_;
    ManagerProperties properties_;
};

}  // namespace hotseat::dbus
