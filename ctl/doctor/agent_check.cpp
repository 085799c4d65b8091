// The guest agent (docs/hibernate.md): a VM that hibernates (stop_mode = "hibernate", or a rule
// whose action is "hibernate") needs QEMU's guest agent channel and S4 left on in its domain, or
// every hibernation falls back to a shutdown and the session is lost. While the VM runs, the
// agent must be there to answer: libvirt's channel state says whether a process in the guest
// holds the port, and guest-ping whether it answers.
#include <algorithm>

#include "checks.h"

namespace hotseat::ctl::doctor {
namespace {

constexpr const char* kAgentChannel = "org.qemu.guest_agent.0";
const char* const kChannelXml = "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>";
const char* const kInstallAgent = "install qemu-guest-agent in the guest and enable it (docs/hibernate.md)";

bool hibernates(const Config& config, const VmConfig& vm) {
    return vm.stop_mode == StopMode::Hibernate ||
           std::any_of(config.rules.begin(), config.rules.end(),
                       [&](const Rule& r) { return r.vm == vm.name && r.action == Action::Hibernate; });
}

Finding finding(const std::string& vm, Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = vm, .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

Finding running_agent(DoctorContext& context, const VmConfig& vm, const ChannelFacts& channel) {
    if (channel.state == "disconnected")
        return finding(vm.name, Severity::Warning,
                       "the VM runs, but nothing in the guest listens on the guest agent channel: a "
                       "hibernation now would shut the VM down instead",
                       kInstallAgent);
    auto ping = context.ping_guest_agent(vm.name);
    if (!ping.asked)
        return finding(vm.name, Severity::Ok,
                       "a guest agent holds its channel (not asked to answer: " + ping.error + ")");
    if (!ping.error.empty())
        return finding(vm.name, Severity::Warning,
                       "the guest agent does not answer guest-ping: " + ping.error +
                           "; a hibernation now would shut the VM down instead",
                       kInstallAgent);
    return finding(vm.name, Severity::Ok, "the guest agent answers guest-ping");
}

Finding agent_finding(DoctorContext& context, const VmConfig& vm, const DomainInfo& domain) {
    const DomainFacts& facts = *domain.facts;
    const ChannelFacts* channel = facts.channel(kAgentChannel);
    if (!channel)
        return finding(
            vm.name, Severity::Error,
            "the VM hibernates, but its domain has no guest agent channel " + std::string(kAgentChannel) +
                ": every hibernation would shut it down instead",
            "add " + std::string(kChannelXml) + " to <devices> with virsh edit " + vm.name + ", and " + kInstallAgent);
    if (facts.suspend_to_disk == "no")
        return finding(vm.name, Severity::Error,
                       "the VM hibernates, but its domain says <pm><suspend-to-disk enabled='no'/>: libvirt refuses "
                       "to hibernate it",
                       "remove <suspend-to-disk enabled='no'/> from <pm> with virsh edit " + vm.name);
    if (!domain.active)
        return finding(vm.name, Severity::Ok,
                       "the domain has the guest agent channel; whether the agent answers shows once the VM runs");
    return running_agent(context, vm, *channel);
}

}  // namespace

void check_guest_agent(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        if (!hibernates(context.config(), vm)) continue;
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.exists || !domain.facts) continue;  // check_domain said why
        out.push_back(agent_finding(context, vm, domain));
    }
}

}  // namespace hotseat::ctl::doctor
