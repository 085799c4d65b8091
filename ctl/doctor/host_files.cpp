#include "host_files.h"

#include <sys/utsname.h>

#include <fstream>
#include <sstream>

#include "context.h"

namespace hotseat::ctl::doctor {
namespace {

// The value of KEY= in os-release(5), unquoted.
std::string os_release_value(const std::string& text, const std::string& key) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(key + "=", 0) != 0) continue;
        std::string value = line.substr(key.size() + 1);
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        return value;
    }
    return "";
}

}  // namespace

std::string host_file(const DoctorOptions& options, std::string_view absolute) {
    std::string root = options.root;
    while (!root.empty() && root.back() == '/') root.pop_back();
    return root + std::string(absolute);
}

std::optional<std::string> read_host_file(const std::string& path, std::size_t limit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

bool is_nixos(const DoctorOptions& options) {
    auto text = read_host_file(host_file(options, "/etc/os-release"));
    if (!text) text = read_host_file(host_file(options, "/usr/lib/os-release"));
    if (!text) return false;
    if (os_release_value(*text, "ID") == "nixos") return true;
    std::istringstream like(os_release_value(*text, "ID_LIKE"));
    for (std::string word; like >> word;)
        if (word == "nixos") return true;
    return false;
}

DetectedPath default_hook_path(const DoctorOptions& options) {
    if (is_nixos(options))
        return {host_file(options, "/var/lib/libvirt/hooks/qemu.d/hotseat"), "NixOS: libvirt's sysconfdir is /var/lib"};
    return {host_file(options, "/etc/libvirt/hooks/qemu.d/hotseat"), "libvirt's sysconfdir is /etc"};
}

DetectedPath default_modules_dep(const DoctorOptions& options) {
    utsname name{};
    if (::uname(&name) != 0) return {"", "uname failed"};
    const std::string release = name.release;
    if (is_nixos(options))
        return {host_file(options, "/run/booted-system/kernel-modules/lib/modules/" + release + "/modules.dep"),
                "NixOS: the booted kernel's modules"};
    return {host_file(options, "/lib/modules/" + release + "/modules.dep"), "the running kernel's modules"};
}

}  // namespace hotseat::ctl::doctor
