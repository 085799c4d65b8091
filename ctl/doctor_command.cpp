// `hotseatctl doctor [--config PATH] [--json]`: can this machine do what the configuration asks?
// Local, no daemon; libvirt is asked read-only. Exit 0 without error findings, 1 with any.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "commands.h"
#include "doctor/checks.h"
#include "doctor/report.h"
#include "exit_codes.h"

namespace hotseat::ctl {
namespace {

// An unusable configuration is the one finding: nothing else can be checked without it.
doctor::Findings config_findings(const ConfigLoad& load) {
    doctor::Findings out;
    for (const auto& e : load.errors)
        out.push_back({.check = "config",
                       .vm = "",
                       .severity = doctor::Severity::Error,
                       .message = e.to_string(),
                       .fix = "correct the configuration (hotseatctl check-config shows every problem)"});
    return out;
}

int run_doctor(const doctor::DoctorOptions& options) {
    auto load = load_config_file(options.config_path);
    doctor::Findings findings;
    if (!load.config) {
        findings = config_findings(load);
    } else {
        doctor::DoctorContext context(std::move(*load.config), options);
        findings = doctor::run_checks(context);
    }
    std::cout << (options.json ? doctor::format_json(options.config_path, findings) : doctor::format_table(findings))
              << std::flush;
    return doctor::has_error(findings) ? kFailed : kOk;
}

}  // namespace

void add_doctor_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<doctor::DoctorOptions>();
    auto* doctor = app.add_subcommand(
        "doctor",
        "Check that this machine can do what the configuration asks (IOMMU, vfio-pci, the GPU at rest, "
        "the domains' XML, IGD passthrough, memory, the libvirt hook), without the daemon; exit 1 when "
        "something is in error");
    doctor->add_option("--config", options->config_path, "Configuration file")->capture_default_str();
    doctor->add_option("--hook", options->hook_path,
                       "Where libvirtd runs hotseat-hook from (default: /var/lib/libvirt/hooks/qemu.d/hotseat on "
                       "NixOS, /etc/libvirt/hooks/qemu.d/hotseat elsewhere)");
    doctor->add_option("--modules-dep", options->modules_dep,
                       "The kernel's modules.dep (default: /run/booted-system/kernel-modules/lib/modules/$(uname -r)/"
                       "modules.dep on NixOS, /lib/modules/$(uname -r)/modules.dep elsewhere)");
    doctor
        ->add_option("--root", options->root,
                     "Read the host's /proc, /etc and /run under this directory (/sys and /dev are always the "
                     "running system's)")
        ->capture_default_str();
    doctor->add_option("--qemu-version", options->qemu_version,
                       "Judge as if libvirt ran this QEMU version (e.g. 10.1.0) instead of asking it");
    doctor->add_option("--domain-capabilities", options->domain_capabilities,
                       "Judge the firmware by this `virsh domcapabilities` output instead of asking libvirt");
    doctor->add_flag("--json", options->json, "Print the findings as one JSON object");
    doctor->callback([options, &exit_code] { exit_code = run_doctor(*options); });
}

}  // namespace hotseat::ctl
