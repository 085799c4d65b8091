// What `status` shows, read from the daemon's properties (Properties.GetAll), as plain values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bus_client.h"

namespace hotseat::ctl {

struct VmSnapshot {
    std::string name;
    std::string path;
    std::string state;
    std::string step;
    std::string reason;
    std::string last_error;
    std::uint64_t state_changed_at_us = 0;  // 0: never changed
    std::vector<std::string> devices;
    // PendingStop: 0 when no stop is pending.
    std::uint64_t pending_stop_us = 0;
    std::string pending_action;
    std::string pending_reason;
    std::string idle_inhibitor;  // IdleInhibitor
    std::string guest_helper;    // the guest helper's version; empty: none said hello
};

struct GpuSnapshot {
    std::string address;  // "0000:00:02.0"
    std::string driver;   // bound now; empty: none
    std::string holder;   // the VM holding it; empty: none
};

struct ManagerSnapshot {
    std::string version;
    std::string config_path;
    std::string config_error;
    bool libvirt_connected = false;
    std::vector<std::string> vm_paths;
    std::vector<std::pair<std::string, std::string>> monitors;   // (connector, status)
    std::vector<std::pair<std::string, std::string>> keyboards;  // (device node, name)
    std::vector<GpuSnapshot> gpus;
};

struct StatusSnapshot {
    ManagerSnapshot manager;
    std::vector<VmSnapshot> vms;
};

// Properties missing or of another type than the XML says are left at their defaults: a newer or
// older daemon still gets a status.
VmSnapshot vm_snapshot(const std::string& path, const PropertyMap& properties);
ManagerSnapshot manager_snapshot(const PropertyMap& properties);

// The Manager's properties and every VM's; throws Failure when the daemon cannot be read.
StatusSnapshot read_status(Bus& bus);

}  // namespace hotseat::ctl
