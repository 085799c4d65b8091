// One function per LibvirtEffect (libvirt/effect_calls.h): a new libvirt effect is one more
// `run` here, and the build breaks until it has one (carry_out's visit).
#include "libvirt/effect_calls.h"

#include <libvirt/virterror.h>

#include <string_view>
#include <utility>
#include <variant>

#include "libvirt/agent_call.h"
#include "libvirt/guest_channel_xml.h"
#include "libvirt/hostdev_xml.h"
#include "libvirt/state.h"
#include "libvirt/tuning.h"

namespace hotseat::libvirt {
namespace {

// The domain calls: one libvirt function on the domain, answered by a DomainOpResult.
std::optional<Event> domain_call(Link& link, const std::string& vm, DomainOp op, int (*call)(virDomainPtr)) {
    CallOutcome outcome = link.on_domain(vm, [&](Domain& domain) { return call(domain.handle.get()); });
    return DomainOpResult{vm, op, outcome.ok, outcome.error};
}

// The governor's calls, answered by a TuneResult (with what the knob was before, when read).
std::optional<Event> tune_call(Link& link, const std::string& vm, TuneOp op,
                               const std::function<int(virDomainPtr, TuneResult&)>& call) {
    TuneResult result;
    result.vm = vm;
    result.op = op;
    CallOutcome outcome = link.on_domain(vm, [&](Domain& domain) { return call(domain.handle.get(), result); });
    result.ok = outcome.ok;
    result.error = outcome.error;
    return result;
}

bool has_usb_hostdev(virDomainPtr domain, const UsbHostDevice& device) {
    util::Malloced<char> xml(virDomainGetXMLDesc(domain, 0));
    if (!xml) return false;  // the attach itself will say what is wrong
    return std::string_view(xml.get()).find(usb_source_address(device)) != std::string_view::npos;
}

// Live attach/detach of a host USB device (VIR_DOMAIN_AFFECT_LIVE only: the domain's persistent
// definition is never changed), answered by a UsbOpResult. An attach of a device the live domain
// already has (a restarted hotseatd adopting a running VM) succeeds without a call. A device
// that makes no valid XML never reaches libvirt.
std::optional<Event> usb_call(Link& link, UsbOp op, const std::string& vm, const std::string& syspath,
                              const UsbHostDevice& device) {
    UsbOpResult result{vm, op, syspath, device, false, ""};
    auto xml = usb_hostdev_xml(device);
    if (!xml) {
        result.error = "invalid USB device (ids must be 4 hex digits, bus 1-255, device 1-127)";
        return result;
    }
    CallOutcome outcome = link.on_domain(vm, [&](Domain& domain) {
        if (op == UsbOp::Attach) {
            if (has_usb_hostdev(domain.handle.get(), device)) return 0;
            return virDomainAttachDeviceFlags(domain.handle.get(), xml->c_str(), VIR_DOMAIN_AFFECT_LIVE);
        }
        return virDomainDetachDeviceFlags(domain.handle.get(), xml->c_str(), VIR_DOMAIN_AFFECT_LIVE);
    });
    result.ok = outcome.ok;
    result.error = outcome.error;
    return result;
}

// The ACPI power button alone; a driver that has no such choice (the test driver refuses the
// flag as invalid) gets its one way of shutting down.
int acpi_shutdown(virDomainPtr domain) {
    if (virDomainShutdownFlags(domain, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) == 0) return 0;
    if (virGetLastErrorCode() != VIR_ERR_INVALID_ARG) return -1;
    return virDomainShutdown(domain);
}

std::optional<Event> run(Link& link, const StartDomain& effect) {
    return domain_call(link, effect.vm, DomainOp::Start, virDomainCreate);
}

std::optional<Event> run(Link& link, const ShutdownDomain& effect) {
    CallOutcome outcome = link.on_domain(effect.vm, [&](Domain& domain) {
        // Noted before the call: the STOPPED event may be dispatched before virDomainShutdown
        // returns; and taken back when it fails (libvirt/lifecycle.h). Neither touches libvirt,
        // so the failed call's message is still there to read.
        domain.state->shutdown_requested(effect.vm);
        int r = effect.acpi_only ? acpi_shutdown(domain.handle.get()) : virDomainShutdown(domain.handle.get());
        if (r < 0) domain.state->shutdown_request_failed(effect.vm);
        return r;
    });
    return DomainOpResult{effect.vm, DomainOp::Shutdown, outcome.ok, outcome.error};
}

std::optional<Event> run(Link& link, const DestroyDomain& effect) {
    return domain_call(link, effect.vm, DomainOp::Destroy, virDomainDestroy);
}

// The lookup here, the call on a thread of its own, which answers (libvirt/agent_call.h).
std::optional<Event> run(Link& link, const HibernateDomain& effect) {
    CallOutcome outcome = link.on_domain(effect.vm, [&](Domain& domain) {
        hibernate_apart(std::move(domain.handle), effect.vm, domain.state);
        return 0;
    });
    if (outcome.ok) return std::nullopt;
    return DomainOpResult{effect.vm, DomainOp::Hibernate, false, outcome.error, false};
}

std::optional<Event> run(Link& link, const WakeDomain& effect) {
    return domain_call(link, effect.vm, DomainOp::Wakeup,
                       [](virDomainPtr domain) { return virDomainPMWakeup(domain, 0); });
}

std::optional<Event> run(Link& link, const AttachUsb& effect) {
    return usb_call(link, UsbOp::Attach, effect.vm, effect.syspath, effect.device);
}

std::optional<Event> run(Link& link, const DetachUsb& effect) {
    return usb_call(link, UsbOp::Detach, effect.vm, effect.syspath, effect.device);
}

std::optional<Event> run(Link& link, const SetCpuWeight& effect) {
    return tune_call(link, effect.vm, TuneOp::CpuWeight, [&](virDomainPtr domain, TuneResult& result) {
        return set_cpu_weight(domain, effect.weight, result);
    });
}

std::optional<Event> run(Link& link, const SetVcpuQuota& effect) {
    return tune_call(link, effect.vm, TuneOp::VcpuQuota, [&](virDomainPtr domain, TuneResult& result) {
        return set_vcpu_quota(domain, effect.quota_us, effect.period_us, result);
    });
}

std::optional<Event> run(Link& link, const SetBalloon& effect) {
    return tune_call(link, effect.vm, TuneOp::Balloon, [&](virDomainPtr domain, TuneResult& result) {
        return set_balloon(domain, effect.percent, result);
    });
}

std::optional<Event> run(Link& link, const SuspendDomain& effect) {
    return tune_call(link, effect.vm, TuneOp::Suspend,
                     [](virDomainPtr domain, TuneResult&) { return virDomainSuspend(domain); });
}

std::optional<Event> run(Link& link, const ResumeDomain& effect) {
    return tune_call(link, effect.vm, TuneOp::Resume,
                     [](virDomainPtr domain, TuneResult&) { return virDomainResume(domain); });
}

// The guest channel's socket from the live domain XML (path empty when there is none). A lookup
// libvirt could not be asked is unanswered: no word about the channel at all.
std::optional<Event> run(Link& link, const FindGuestChannel& effect) {
    GuestChannelPath result{effect.vm, "", ""};
    CallOutcome outcome = link.on_domain(effect.vm, [&](Domain& domain) {
        util::Malloced<char> xml(virDomainGetXMLDesc(domain.handle.get(), 0));
        if (!xml) return -1;
        GuestChannelXml channel = find_guest_channel(xml.get());
        result.path = channel.problem.empty() ? channel.path : std::string();
        result.error = !channel.problem.empty() ? channel.problem
                       : channel.present        ? std::string()
                                                : std::string("no such channel in the domain XML");
        return 0;
    });
    if (!outcome.ok) result.error = outcome.error;
    result.unanswered = outcome.lost;  // the connection broke, not the channel
    return result;
}

// virDomainGetInfo: the CPU time used so far and the vCPU count.
std::optional<Event> run(Link& link, const SampleCpu& effect) {
    CpuSample result{effect.vm, false, 0, 0, ""};
    CallOutcome outcome = link.on_domain(effect.vm, [&](Domain& domain) {
        virDomainInfo info{};
        if (virDomainGetInfo(domain.handle.get(), &info) < 0) return -1;
        result.cpu_time_ns = info.cpuTime;
        result.vcpus = info.nrVirtCpu;
        return 0;
    });
    result.ok = outcome.ok;
    result.error = outcome.error;
    return result;
}

}  // namespace

std::optional<Event> carry_out(Link& link, const LibvirtEffect& effect) {
    return std::visit([&](const auto& e) { return run(link, e); }, effect);
}

}  // namespace hotseat::libvirt
