// `hotseatctl status [--json]`: the VMs, monitors, keyboards and the daemon's own state.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bus_client.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_output.h"
#include "snapshot.h"
#include "text_table.h"
#include "time_text.h"

namespace hotseat::ctl {
namespace {

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string since_text(std::uint64_t at_us, std::uint64_t now) {
    if (at_us == 0) return "-";
    return relative_time(at_us, now) + " (" + local_time(at_us) + ")";
}

std::string vms_text(const std::vector<VmSnapshot>& vms, std::uint64_t now) {
    if (vms.empty()) return "No VMs configured.\n";
    TextTable table({"VM", "STATE", "SINCE", "STEP", "WHY", "LAST ERROR"});
    for (const auto& vm : vms)
        table.add_row({vm.name, vm.state, since_text(vm.state_changed_at_us, now), or_dash(vm.step), or_dash(vm.reason),
                       or_dash(vm.last_error)});
    std::string out = table.render();
    // What a VM has and what is about to happen to it, under the table (too long for columns, and
    // empty for most VMs): passed-through devices, the guest helper, a pending stop, an inhibitor.
    for (const auto& vm : vms) {
        if (!vm.devices.empty()) out += vm.name + ": devices: " + joined(vm.devices) + "\n";
        if (!vm.guest_helper.empty()) out += vm.name + ": guest helper " + vm.guest_helper + "\n";
        if (vm.pending_stop_us != 0)
            out += vm.name + ": " + vm.pending_action + " " + time_until(vm.pending_stop_us, now) + " (" +
                   local_time(vm.pending_stop_us) + "): " + vm.pending_reason + "; hotseatctl postpone " + vm.name +
                   " [SECONDS] keeps it\n";
        if (!vm.idle_inhibitor.empty()) out += vm.name + ": the guest holds idle: " + vm.idle_inhibitor + "\n";
    }
    return out;
}

std::string pairs_text(const std::vector<std::pair<std::string, std::string>>& pairs, const std::string& first,
                       const std::string& second, const std::string& none) {
    if (pairs.empty()) return none + "\n";
    TextTable table({first, second});
    for (const auto& [a, b] : pairs) table.add_row({a, b});
    return table.render();
}

// Only when some [[vm]] lists a gpu: a desk without one has nothing to say here.
std::string gpus_text(const std::vector<GpuSnapshot>& gpus) {
    if (gpus.empty()) return "";
    TextTable table({"GPU", "DRIVER", "HELD BY"});
    for (const auto& g : gpus) table.add_row({g.address, g.driver.empty() ? "(none)" : g.driver, or_dash(g.holder)});
    return table.render() + "\n";
}

std::string daemon_text(const ManagerSnapshot& manager) {
    std::string out = "libvirt: " + std::string(manager.libvirt_connected ? "connected" : "NOT connected") + "\n";
    out += "config:  " + or_dash(manager.config_path) + "\n";
    if (!manager.config_error.empty()) {
        out += "config error (the previous configuration stays in force):\n";
        std::size_t start = 0;
        while (start < manager.config_error.size()) {
            auto end = manager.config_error.find('\n', start);
            if (end == std::string::npos) end = manager.config_error.size();
            out += "  " + manager.config_error.substr(start, end - start) + "\n";
            start = end + 1;
        }
    }
    return out + "hotseatd " + or_dash(manager.version) + "\n";
}

std::string status_text(const StatusSnapshot& status) {
    auto now = now_us();
    return vms_text(status.vms, now) + "\n" +
           pairs_text(status.manager.monitors, "MONITOR", "STATUS", "No monitors (DRM connectors) seen.") + "\n" +
           pairs_text(status.manager.keyboards, "KEYBOARD", "NAME", "No keyboards seen.") + "\n" +
           gpus_text(status.manager.gpus) + daemon_text(status.manager);
}

std::string status_json(const StatusSnapshot& status) {
    Json out = manager_json(status.manager);
    Json vms = Json::array();
    for (const auto& vm : status.vms) vms.push_back(vm_json(vm));
    out["vms"] = std::move(vms);
    return dump_json(out, true) + "\n";
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
    auto json = std::make_shared<bool>(false);
    auto* status = app.add_subcommand("status",
                                      "Show the VMs (state, since when, step, why, last error, "
                                      "devices, guest helper), monitors, keyboards, gpu devices, "
                                      "libvirt and the configuration");
    status->add_flag("--json", *json, "Print one JSON object instead of tables");
    status->callback([json, &exit_code] {
        Bus bus;
        bus.require_daemon();
        auto snapshot = read_status(bus);
        std::cout << (*json ? status_json(snapshot) : status_text(snapshot)) << std::flush;
        exit_code = kOk;
    });
}

}  // namespace hotseat::ctl
