// Whether libvirt checks what the user `hotseat` does (docs/robustness.md, "libvirt access"). In
// the libvirt group with nothing else, hotseatd's user is as good as root; with libvirt's polkit
// access driver and hotseat's rules (rules/polkit/hotseat-libvirt.rules) it may touch the
// configured domains alone. Only the local system libvirtd (qemu:///system) is judged: its
// configuration is this host's, under --root.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

#include "checks.h"
#include "host_files.h"

namespace hotseat::ctl::doctor {
namespace {

constexpr const char* kExample = "/usr/share/doc/hotseat/polkit/hotseat-libvirt.rules";

bool local_system_uri(const std::string& uri) {
    const std::string system = "qemu:///system";
    return uri == system || uri.rfind(system + "?", 0) == 0;
}

// An uncommented `access_drivers = [ ... "polkit" ... ]` line (libvirtd.conf(5) syntax).
bool asks_polkit(const std::string& conf) {
    std::istringstream lines(conf);
    for (std::string line; std::getline(lines, line);) {
        line = line.substr(0, line.find('#'));
        auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line.compare(start, 14, "access_drivers") != 0) continue;
        if (line.find("\"polkit\"") != std::string::npos) return true;
    }
    return false;
}

// The quoted names of `var hotseatDomains = [ ... ];`, or nullopt when the file has none.
std::optional<std::vector<std::string>> hotseat_domains(const std::string& rules) {
    auto at = rules.find("var hotseatDomains");
    if (at == std::string::npos) return std::nullopt;
    auto open = rules.find('[', at), close = rules.find(']', at);
    if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
    std::vector<std::string> names;
    std::string list = rules.substr(open + 1, close - open - 1);
    for (std::size_t q = list.find('"'); q != std::string::npos; q = list.find('"', q + 1)) {
        auto end = list.find('"', q + 1);
        if (end == std::string::npos) break;
        names.push_back(list.substr(q + 1, end - q - 1));
        q = end;
    }
    return names;
}

struct RulesFile {
    std::string path;  // as on the host (without --root)
    std::vector<std::string> domains;
};

// The first polkit rules file, in the order polkitd reads them, that has hotseat's domain list.
std::optional<RulesFile> find_rules(const DoctorOptions& options) {
    std::vector<std::string> files;
    for (const char* dir : {"/etc/polkit-1/rules.d", "/usr/share/polkit-1/rules.d"}) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(host_file(options, dir), ec))
            if (entry.path().extension() == ".rules")
                files.push_back(std::string(dir) + "/" + entry.path().filename().string());
    }
    // polkitd orders all files by name, whichever directory they are in.
    std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
        return std::filesystem::path(a).filename() < std::filesystem::path(b).filename();
    });
    for (const auto& file : files) {
        auto text = read_host_file(host_file(options, file));
        if (!text) continue;
        if (auto domains = hotseat_domains(*text)) return RulesFile{file, std::move(*domains)};
    }
    return std::nullopt;
}

}  // namespace

void check_libvirt_access(DoctorContext& context, Findings& out) {
    const auto& options = context.options();
    if (!local_system_uri(context.config().supervisor.libvirt_uri)) return;
    // libvirt's sysconfdir: /var/lib on NixOS, /etc elsewhere (host_files.h). Monolithic
    // libvirtd reads libvirtd.conf, the modular virtqemud virtqemud.conf.
    const std::string dir = is_nixos(options) ? "/var/lib/libvirt" : "/etc/libvirt";
    std::string conf_with_polkit;
    for (const char* name : {"libvirtd.conf", "virtqemud.conf"}) {
        const std::string path = dir + "/" + name;
        if (auto text = read_host_file(host_file(options, path)); text && asks_polkit(*text)) {
            conf_with_polkit = path;
            break;
        }
    }
    const std::string how = "docs/robustness.md, \"libvirt access\"";
    if (conf_with_polkit.empty()) {
        out.push_back(Finding{
            .check = "",
            .vm = "",
            .severity = Severity::Warning,
            .message = "libvirt checks nothing but the socket's group (no access_drivers = [ \"polkit\" ] in " + dir +
                       "/libvirtd.conf or virtqemud.conf): the user hotseat, in that group, is as good as root",
            .fix = "where polkit is available: access_drivers = [ \"polkit\" ] in " + dir + "/libvirtd.conf, " +
                   std::string(kExample) + " in /etc/polkit-1/rules.d with the [[vm]] names, restart libvirtd (" + how +
                   ")"});
        return;
    }
    auto rules = find_rules(options);
    if (!rules) {
        out.push_back(Finding{
            .check = "",
            .vm = "",
            .severity = Severity::Error,
            .message = "libvirt asks polkit about every call (" + conf_with_polkit +
                       "), but no polkit rule lets the user hotseat do anything: every call of hotseatd is refused",
            .fix = "copy " + std::string(kExample) +
                   " to /etc/polkit-1/rules.d/50-hotseat-libvirt.rules and list the "
                   "[[vm]] names in it (" +
                   how + ")"});
        return;
    }
    bool all = true;
    for (const auto& vm : context.config().vms) {
        if (std::find(rules->domains.begin(), rules->domains.end(), vm.name) != rules->domains.end()) continue;
        all = false;
        out.push_back(Finding{.check = "",
                              .vm = vm.name,
                              .severity = Severity::Error,
                              .message = "libvirt asks polkit about every call, and " + rules->path +
                                         " does not list " + vm.name +
                                         " in hotseatDomains: libvirt refuses hotseatd everything about it",
                              .fix = "add \"" + vm.name + "\" to hotseatDomains in " + rules->path});
    }
    if (all)
        out.push_back(Finding{.check = "",
                              .vm = "",
                              .severity = Severity::Ok,
                              .message = "libvirt asks polkit about every call (" + conf_with_polkit + "); " +
                                         rules->path + " lets the user hotseat act on the configured domains alone",
                              .fix = ""});
}

}  // namespace hotseat::ctl::doctor
