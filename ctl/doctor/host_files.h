// The host's files the doctor reads outside /sys and /dev (/proc, /etc, /run ...), under
// DoctorOptions::root so that tests can stand in for them (umockdev redirects /sys and /dev
// only), and the places that depend on the distribution: where libvirt runs hooks from and
// where the running kernel's modules.dep is. Those are detected, not guessed: NixOS builds
// libvirt with sysconfdir /var/lib and keeps the booted kernel's modules in the Nix store,
// linked from /run/booted-system (docs/setup.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hotseat::ctl::doctor {

struct DoctorOptions;

// `absolute` ("/proc/meminfo") under options.root.
std::string host_file(const DoctorOptions& options, std::string_view absolute);

// The whole file (at most `limit` bytes); nullopt when unreadable.
std::optional<std::string> read_host_file(const std::string& path, std::size_t limit = 1024 * 1024);

// /etc/os-release (or /usr/lib/os-release) says ID=nixos or lists nixos in ID_LIKE.
bool is_nixos(const DoctorOptions& options);

// Where libvirtd looks for hotseat's hook on this host, and why that place (for messages):
// /var/lib/libvirt/hooks/qemu.d/hotseat on NixOS, /etc/libvirt/hooks/qemu.d/hotseat elsewhere.
struct DetectedPath {
    std::string path;
    std::string why;
};
DetectedPath default_hook_path(const DoctorOptions& options);

// The running kernel's modules.dep: /run/booted-system/kernel-modules/lib/modules/<release>/
// on NixOS, /lib/modules/<release>/ elsewhere; empty when uname fails.
DetectedPath default_modules_dep(const DoctorOptions& options);

}  // namespace hotseat::ctl::doctor
