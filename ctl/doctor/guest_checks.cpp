// The guest channel (docs/guest-channel.md): is it defined in the domain the way
// guest_channel asks, and, when hotseatd runs the VM now, has the guest helper said hello? Only
// the guest sees a monitor unplugged from the passed-through GPU and the keys typed on the
// passed-through keyboard, so without both "unplug → stop" and "walk away → stop" cannot work.
#include <memory>

#include "bus_client.h"
#include "checks.h"
#include "failure.h"
#include "libvirt/guest_channel_xml.h"

namespace hotseat::ctl::doctor {
namespace {

const char* const kChannelXml =
    "<channel type='unix'><source mode='bind'/><target type='virtio' name='org.hotseat.guest.0'/></channel>";

Finding finding(const std::string& vm, Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = vm, .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

Finding channel_finding(const VmConfig& vm, const libvirt::GuestChannelXml& channel) {
    const std::string add = "add " + std::string(kChannelXml) + " to <devices> with virsh edit " + vm.name;
    if (!channel.problem.empty())
        return finding(vm.name, vm.guest_channel ? Severity::Error : Severity::Warning,
                       "the guest channel org.hotseat.guest.0 is unusable: " + channel.problem, add);
    if (vm.guest_channel && !channel.present)
        return finding(vm.name, Severity::Error,
                       "guest_channel = true, but the domain has no channel org.hotseat.guest.0", add);
    if (vm.guest_channel) {
        std::string problem = libvirt::guest_channel_location_problem(channel.path);
        if (!problem.empty())
            return finding(vm.name, Severity::Warning,
                           "the guest channel org.hotseat.guest.0 may be out of hotseatd's reach: " + problem,
                           "give its <source> path='" + std::string(libvirt::kGuestChannelDir) + vm.name +
                               ".sock' with virsh edit " + vm.name + " (docs/guest-channel.md)");
        return finding(vm.name, Severity::Ok, "the domain has the guest channel org.hotseat.guest.0");
    }
    if (channel.present)
        return finding(vm.name, Severity::Warning,
                       "the domain has the guest channel org.hotseat.guest.0, but guest_channel is not set: "
                       "hotseatd does not listen to it",
                       "set guest_channel = true in this [[vm]]");
    return finding(vm.name, Severity::Ok,
                   "no guest channel: a monitor unplugged or keys typed inside the guest are not seen, "
                   "and vm.idle judges from the guest's CPU use alone");
}

// What hotseatd says about the VM now: its State and GuestHelper (the hello's version).
Finding helper_finding(const VmConfig& vm) {
    const std::string install =
        "install hotseat-guest in the guest and enable hotseat-guest.service "
        "(docs/guest-channel.md)";
    std::unique_ptr<Bus> bus;
    try {
        bus = std::make_unique<Bus>();
    } catch (const Failure& failure) {  // no system bus at all: no hotseatd either
        return finding(vm.name, Severity::Ok,
                       std::string("hotseatd is not running (") + failure.what() +
                           "): whether the guest helper says hello shows once it runs the VM");
    }
    try {
        if (!bus->daemon_on_bus())
            return finding(vm.name, Severity::Ok,
                           "hotseatd is not running: whether the guest helper says hello "
                           "shows once it runs the VM");
        PropertyMap properties = bus->get_all(bus->vm_path(vm.name, "doctor"),
                                              org::hotseat::Supervisor1::VM_proxy::INTERFACE_NAME);
        const std::string state = properties.count("State") ? properties["State"].get<std::string>() : "";
        const std::string helper = properties.count("GuestHelper") ? properties["GuestHelper"].get<std::string>() : "";
        if (!helper.empty()) return finding(vm.name, Severity::Ok, "the guest helper (" + helper + ") said hello");
        if (state != "running")
            return finding(vm.name, Severity::Ok,
                           "the VM is " + state + ": the guest helper says hello once the VM runs");
        return finding(vm.name, Severity::Warning, "the VM runs, but no guest helper has said hello", install);
    } catch (const Failure& failure) {
        return finding(vm.name, Severity::Warning,
                       std::string("cannot ask hotseatd whether the guest helper said hello: ") + failure.what(),
                       "run hotseatctl doctor as a user allowed on the system bus");
    }
}

}  // namespace

void check_guest_channel(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.exists || domain.xml.empty()) continue;  // check_domain said why
        out.push_back(channel_finding(vm, libvirt::find_guest_channel(domain.xml)));
    }
}

void check_guest_helper(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms)
        if (vm.guest_channel) out.push_back(helper_finding(vm));
}

}  // namespace hotseat::ctl::doctor
