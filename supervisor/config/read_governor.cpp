// [governor]: the resource governor's keys (hotseat.toml(5), docs/governor.md). Every key is
// optional; the defaults leave the governor off.
#include <array>
#include <string_view>

#include "config/quote.h"
#include "config/sections.h"
#include "config/table_reader.h"
#include "hotseat/names.h"

namespace hotseat {

std::string_view to_string(GovernorTop top) {
    switch (top) {
        case GovernorTop::None: return "none";
        case GovernorTop::Suspend: return "suspend";
        case GovernorTop::Stop: return "stop";
    }
    return kUnknownName;
}

std::optional<GovernorTop> governor_top_from_string(std::string_view s) { return from_name<GovernorTop>(s); }

}  // namespace hotseat

namespace hotseat::config {
namespace {

// A path component a cgroup may have: not empty, not "." or "..".
bool plain_component(std::string_view part) { return !part.empty() && part != "." && part != ".."; }

// Only a PSI file of the right resource (docs/governor.md): /proc/pressure/<resource>, or
// <resource>.pressure of a cgroup under /sys/fs/cgroup. The daemon opens the file read-write to
// arm a trigger, so any other path would be a file it writes "some 200000 2000000" into.
bool is_psi_file(std::string_view path, std::string_view resource) {
    constexpr std::string_view kProc = "/proc/pressure/";
    constexpr std::string_view kCgroup = "/sys/fs/cgroup/";
    if (path.substr(0, kProc.size()) == kProc) return path.substr(kProc.size()) == resource;
    if (path.substr(0, kCgroup.size()) != kCgroup) return false;
    std::string_view rest = path.substr(kCgroup.size());
    while (true) {
        auto slash = rest.find('/');
        std::string_view part = rest.substr(0, slash);
        if (!plain_component(part)) return false;
        if (slash == std::string_view::npos)
            return part.size() == resource.size() + 9 && part.substr(0, resource.size()) == resource &&
                   part.substr(resource.size()) == ".pressure";
        rest = rest.substr(slash + 1);
    }
}

void read_pressure_path(TableReader& reader, std::string_view key, std::string_view resource, std::string& out) {
    auto path = reader.string(key);
    if (!path) return;
    if (!is_psi_file(*path, resource)) {
        std::string r(resource);
        reader.error(*reader.find(key), std::string(key) + " " + quoted(*path) + " must be a " + r +
                                            " PSI file: \"/proc/pressure/" + r + "\" or a cgroup's \"" + r +
                                            ".pressure\" under /sys/fs/cgroup (no \"..\")");
        return;
    }
    out = *path;
}

void read_uint(TableReader& reader, std::string_view key, std::int64_t min, std::int64_t max, std::uint32_t& out) {
    if (auto value = reader.integer(key, min, max)) out = static_cast<std::uint32_t>(*value);
}

void read_top_action(TableReader& reader, GovernorConfig& out) {
    auto text = reader.string("top_action");
    if (!text) return;
    auto top = governor_top_from_string(*text);
    if (!top) {
        reader.error(*reader.find("top_action"),
                     "top_action " + quoted(*text) + " must be " + quoted_choice(all_names<GovernorTop>()));
        return;
    }
    out.top_action = *top;
}

// The kernel refuses a trigger whose stall exceeds its window; say so here, not at run time.
void check_stall_within_window(TableReader& reader, std::string_view key, std::uint32_t stall, std::uint32_t window) {
    if (stall <= window) return;
    const toml::node* node = reader.find(key);
    std::string message = std::string(key) + " (" + std::to_string(stall) + ") must not exceed window_ms (" +
                          std::to_string(window) + ")";
    if (node)
        reader.error(*node, message);
    else
        reader.error_at_table(message);
}

}  // namespace

GovernorConfig read_governor(const toml::node& node, Diagnostics& diagnostics) {
    GovernorConfig out;
    const toml::table* table = node.as_table();
    if (!table) {
        diagnostics.error(node.source(),
                          "governor must be a table ([governor]), got " + std::string(type_name(node.type())));
        return out;
    }
    TableReader reader(*table, "[governor]", diagnostics);
    reader.reject_unknown_keys({"enable", "cpu_pressure", "memory_pressure", "cpu_stall_ms", "memory_stall_ms",
                                "window_ms", "step_s", "calm_s", "reduced_cpu_weight", "vcpu_quota_percent",
                                "balloon_percent", "top_action"});
    if (auto enable = reader.boolean("enable")) out.enable = *enable;
    read_pressure_path(reader, "cpu_pressure", "cpu", out.cpu_pressure);
    read_pressure_path(reader, "memory_pressure", "memory", out.memory_pressure);
    // The kernel accepts windows of 0.5 s to 10 s.
    read_uint(reader, "window_ms", 500, 10000, out.window_ms);
    read_uint(reader, "cpu_stall_ms", 0, 10000, out.cpu_stall_ms);
    read_uint(reader, "memory_stall_ms", 0, 10000, out.memory_stall_ms);
    check_stall_within_window(reader, "cpu_stall_ms", out.cpu_stall_ms, out.window_ms);
    check_stall_within_window(reader, "memory_stall_ms", out.memory_stall_ms, out.window_ms);
    read_uint(reader, "step_s", 1, 3600, out.step_s);
    read_uint(reader, "calm_s", 1, 86400, out.calm_s);
    read_uint(reader, "reduced_cpu_weight", 1, 10000, out.reduced_cpu_weight);
    read_uint(reader, "vcpu_quota_percent", 1, 100, out.vcpu_quota_percent);
    read_uint(reader, "balloon_percent", 10, 100, out.balloon_percent);
    read_top_action(reader, out);
    return out;
}

}  // namespace hotseat::config
