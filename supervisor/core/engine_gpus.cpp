// The gpu devices (docs/design.md "GPUs and the release record"): the driver each configured device is bound
// to now (the udev adapter reads it at start-up and at every PCI bind and unbind), the VM holding it,
// and whether it came back to its host driver once that VM stopped. The last is judged from the
// release record hotseat-hook writes at `release end`: libvirt gives a managed device back to
// its driver before that hook runs, so the record is the host as the VM left it, while a udev
// event may still be on its way.
#include <algorithm>
#include <set>

#include "core/effects_util.h"
#include "core/vm_machine.h"
#include "hotseat/engine.h"

namespace hotseat {

using fx::debug;
using fx::info;
using fx::warning;

namespace {

// Drivers that park a device for a guest rather than drive it for the host.
bool is_passthrough_driver(const std::string& driver) {
    return driver.find("vfio") != std::string::npos || driver == "pci-stub";
}

bool lists(const VmConfig& vm, const std::string& address) {
    return std::find(vm.gpu.begin(), vm.gpu.end(), address) != vm.gpu.end();
}

bool was_holding(VmState state) {
    return state == VmState::Starting || state == VmState::Running || state == VmState::Stopping;
}

std::string driver_words(const std::string& driver) { return driver.empty() ? "no driver" : driver; }

}  // namespace

std::vector<GpuStatus> Engine::gpus() const {
    std::vector<GpuStatus> out;
    for (const auto& address : gpu_addresses_) {
        GpuStatus gpu{address, "", ""};
        if (auto it = gpu_drivers_.find(address); it != gpu_drivers_.end()) gpu.driver = it->second;
        // Held as for Busy: starting, running, stopping, or failed after a destroy that failed.
        for (const auto& m : machines_) {
            if (m->holds_hardware() && lists(m->config(), address)) {
                gpu.holder = m->config().name;
                break;
            }
        }
        out.push_back(std::move(gpu));
    }
    return out;
}

Effects Engine::on_gpu_driver(const GpuDriver& ev) {
    if (!std::binary_search(gpu_addresses_.begin(), gpu_addresses_.end(), ev.address))
        return {debug("gpu " + ev.address + " is in no [[vm]] gpu list: ignored")};
    auto known = gpu_drivers_.find(ev.address);
    if (known != gpu_drivers_.end() && known->second == ev.driver) return {};
    gpu_drivers_[ev.address] = ev.driver;
    if (!ev.driver.empty() && !is_passthrough_driver(ev.driver)) host_drivers_[ev.address] = ev.driver;
    return {info("gpu " + ev.address + ": " + (ev.driver.empty() ? "no driver bound" : "bound to " + ev.driver))};
}

Effects Engine::on_gpu_release(const GpuRelease& ev) {
    VmMachine* m = machine(ev.vm);
    if (!m) return {debug("release record of " + ev.vm + ", which is not configured: ignored")};
    std::string found;
    for (const auto& gpu : ev.gpus)
        found += (found.empty() ? "" : ", ") + gpu.address + " on " + driver_words(gpu.driver);
    Effects out{info(ev.vm + ": after its release " + (found.empty() ? "no gpu recorded" : found) +
                     ", frame-buffer console " + (ev.console_bound ? "bound" : "not bound"))};
    if (m->holds_hardware()) {
        out.push_back(debug(ev.vm + " holds its devices again: the release record is old news"));
        return out;
    }
    std::string stuck;
    for (const auto& gpu : ev.gpus) {
        if (!lists(m->config(), gpu.address)) continue;
        auto host = host_drivers_.find(gpu.address);
        bool back = !gpu.driver.empty() && !is_passthrough_driver(gpu.driver) &&
                    (host == host_drivers_.end() || host->second == gpu.driver);
        if (back) continue;
        stuck += std::string(stuck.empty() ? "" : "; ") + "GPU " + gpu.address + " did not come back to " +
                 (host == host_drivers_.end() ? std::string("a host driver") : "its host driver " + host->second) +
                 " (" + (gpu.driver.empty() ? "no driver bound" : "bound to " + gpu.driver) + ")";
    }
    if (stuck.empty()) return out;
    std::string message = "warning: " + stuck;
    if (!ev.console_bound) message += "; the host has no frame-buffer console";
    m->note_error(message);
    out.push_back(warning(ev.vm + ": " + message));
    return out;
}

// A VM that held gpu devices and holds nothing now has been through libvirt's release: the
// hook's record of it is there to read.
void Engine::read_release_records(const std::vector<VmStatus>& before, Effects& out) const {
    for (const auto& m : machines_) {
        if (m->config().gpu.empty() || m->holds_hardware()) continue;
        auto was = std::find_if(before.begin(), before.end(),
                                [&](const VmStatus& s) { return s.name == m->config().name; });
        if (was != before.end() && was_holding(was->state)) out.push_back(ReadReleaseRecord{m->config().name});
    }
}

void Engine::follow_configured_gpus() {
    std::set<std::string> configured;
    for (const auto& vm : config_.vms) configured.insert(vm.gpu.begin(), vm.gpu.end());
    gpu_addresses_.assign(configured.begin(), configured.end());
    for (auto* map : {&gpu_drivers_, &host_drivers_})
        for (auto it = map->begin(); it != map->end();)
            it = configured.count(it->first) ? std::next(it) : map->erase(it);
}

}  // namespace hotseat
