// A domain asking for UEFI (<os firmware='efi'>) against the firmware libvirt can find for its
// machine (virConnectGetDomainCapabilities: <os><enum name='firmware'>, <loader> values, built
// from the QEMU firmware descriptors). Without one the domain does not start at all.
#include "checks.h"

namespace hotseat::ctl::doctor {
namespace {

Finding finding(const std::string& vm, Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = vm, .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

}  // namespace

void check_firmware(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.facts) continue;  // check_domain said why
        const DomainFacts& facts = *domain.facts;
        const std::string machine = facts.machine.empty() ? "the default machine" : "machine " + facts.machine;
        if (facts.firmware != "efi") {
            out.push_back(finding(
                vm.name, Severity::Ok,
                "the domain does not ask for UEFI by firmware='efi' (" +
                    (facts.firmware.empty() ? std::string("a legacy BIOS or its own <loader>") : facts.firmware) +
                    ")"));
            continue;
        }
        const DomainCapabilities& caps = context.domain_capabilities(facts);
        if (!caps.known)
            out.push_back(finding(vm.name, Severity::Warning,
                                  "cannot ask libvirt which firmware it has for " + machine + ": " + caps.error,
                                  "run hotseatctl doctor as root, or look yourself: virsh domcapabilities --machine " +
                                      (facts.machine.empty() ? std::string("q35") : facts.machine)));
        else if (caps.efi())
            out.push_back(finding(vm.name, Severity::Ok,
                                  "firmware='efi': libvirt has UEFI firmware for " + machine +
                                      (caps.loaders.empty() ? "" : " (" + caps.loaders.front() + ")")));
        else
            out.push_back(finding(
                vm.name, Severity::Error,
                "firmware='efi', but libvirt lists no UEFI firmware for " + machine + ": the domain cannot start",
                "install OVMF (Debian: apt install ovmf; NixOS: it comes with "
                "virtualisation.libvirtd), then restart libvirtd"));
    }
}

}  // namespace hotseat::ctl::doctor
