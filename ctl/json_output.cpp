#include "json_output.h"

#include "time_text.h"

namespace hotseat::ctl {

std::string dump_json(const Json& value, bool pretty) {
    return value.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Json pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs, const char* first, const char* second) {
    Json out = Json::array();
    for (const auto& [a, b] : pairs) out.push_back(Json{{first, a}, {second, b}});
    return out;
}

Json time_json(std::uint64_t us) { return us == 0 ? Json(nullptr) : Json(iso_utc(us)); }

Json pending_stop_json(std::uint64_t deadline_us, const std::string& action, const std::string& reason) {
    if (deadline_us == 0) return Json(nullptr);
    return Json{
        {"deadline", time_json(deadline_us)}, {"deadline_us", deadline_us}, {"action", action}, {"reason", reason}};
}

Json vm_json(const VmSnapshot& vm) {
    return Json{{"name", vm.name},
                {"path", vm.path},
                {"state", vm.state},
                {"step", vm.step},
                {"reason", vm.reason},
                {"last_error", vm.last_error},
                {"state_changed_at", time_json(vm.state_changed_at_us)},
                {"state_changed_at_us", vm.state_changed_at_us},
                {"devices", vm.devices},
                {"pending_stop", pending_stop_json(vm.pending_stop_us, vm.pending_action, vm.pending_reason)},
                {"idle_inhibitor", vm.idle_inhibitor},
                {"guest_helper", vm.guest_helper}};
}

Json gpus_json(const std::vector<GpuSnapshot>& gpus) {
    Json out = Json::array();
    for (const auto& g : gpus) out.push_back(Json{{"address", g.address}, {"driver", g.driver}, {"holder", g.holder}});
    return out;
}

Json manager_json(const ManagerSnapshot& manager) {
    return Json{{"version", manager.version},
                {"config_path", manager.config_path},
                {"config_error", manager.config_error},
                {"libvirt_connected", manager.libvirt_connected},
                {"monitors", pairs_json(manager.monitors, "connector", "status")},
                {"keyboards", pairs_json(manager.keyboards, "node", "name")},
                {"gpus", gpus_json(manager.gpus)}};
}

}  // namespace hotseat::ctl
