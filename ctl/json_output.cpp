#include "json_output.h"

#include "time_text.h"

namespace hotseat::ctl {

std::string dump_json(const Json& value, bool pretty) {
    return value.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Json pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs, const char* first,
                const char* second) {
    Json out = Json::array();
    for (const auto& [a, b] : pairs) out.push_back(Json{{first, a}, {second, b}});
    return out;
}

Json time_json(std::uint64_t us) { return us == 0 ? Json(nullptr) : Json(iso_utc(us)); }

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
                {"guest_helper", vm.guest_helper}};
}

Json manager_json(const ManagerSnapshot& manager) {
    return Json{{"version", manager.version},
                {"config_path", manager.config_path},
                {"config_error", manager.config_error},
                {"libvirt_connected", manager.libvirt_connected},
                {"monitors", pairs_json(manager.monitors, "connector", "status")},
                {"keyboards", pairs_json(manager.keyboards, "node", "name")}};
}

}  // namespace hotseat::ctl
