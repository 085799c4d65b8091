#include "libvirt/lifecycle.h"

#include <libvirt/libvirt.h>

namespace hotseat::libvirt {

namespace {

std::string started_word(int detail) {
    switch (detail) {
        case VIR_DOMAIN_EVENT_STARTED_BOOTED: return "booted";
        case VIR_DOMAIN_EVENT_STARTED_MIGRATED: return "migrated";
        case VIR_DOMAIN_EVENT_STARTED_RESTORED: return "restored";
        case VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT: return "from-snapshot";
        case VIR_DOMAIN_EVENT_STARTED_WAKEUP: return "wakeup";
        default: return "unknown";
    }
}

std::string stopped_word(int detail) {
    switch (detail) {
        case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN: return "shutdown";
        case VIR_DOMAIN_EVENT_STOPPED_DESTROYED: return "destroyed";
        case VIR_DOMAIN_EVENT_STOPPED_CRASHED: return "crashed";
        case VIR_DOMAIN_EVENT_STOPPED_MIGRATED: return "migrated";
        case VIR_DOMAIN_EVENT_STOPPED_SAVED: return "saved";
        case VIR_DOMAIN_EVENT_STOPPED_FAILED: return "failed";
        case VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT: return "from-snapshot";
        default: return "unknown";
    }
}

std::string crashed_word(int detail) {
    switch (detail) {
        case VIR_DOMAIN_EVENT_CRASHED_PANICKED: return "panicked";
        case VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED: return "crashloaded";
        default: return "unknown";
    }
}

}  // namespace

std::optional<DomainLifecycle> LifecycleTranslator::translate(const std::string& vm, int event, int detail) {
    switch (event) {
        case VIR_DOMAIN_EVENT_STARTED:
            pending_.erase(vm);
            return DomainLifecycle{vm, DomainLifecycle::Kind::Started, started_word(detail), false};
        case VIR_DOMAIN_EVENT_SHUTDOWN: pending_[vm].shutdown_detail = detail; return std::nullopt;
        case VIR_DOMAIN_EVENT_CRASHED:
            return DomainLifecycle{vm, DomainLifecycle::Kind::Crashed, crashed_word(detail), false};
        case VIR_DOMAIN_EVENT_PMSUSPENDED:  // the guest suspended itself: to RAM, or to disk (S4)
            return DomainLifecycle{vm, DomainLifecycle::Kind::Suspended,
                                   detail == VIR_DOMAIN_EVENT_PMSUSPENDED_DISK ? "disk" : "memory", false};
        case VIR_DOMAIN_EVENT_STOPPED: break;
        default: return std::nullopt;
    }

    const Pending before = pending_[vm];
    pending_.erase(vm);
    if (detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED)
        return DomainLifecycle{vm, DomainLifecycle::Kind::Crashed, "crashed", false};
    const bool host_asked = before.shutdown_requested || before.shutdown_detail == VIR_DOMAIN_EVENT_SHUTDOWN_HOST;
    const bool by_guest = detail == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN && !host_asked;
    return DomainLifecycle{vm, DomainLifecycle::Kind::Stopped, stopped_word(detail), by_guest};
}

void LifecycleTranslator::shutdown_requested(const std::string& vm) { pending_[vm].shutdown_requested = true; }

void LifecycleTranslator::shutdown_request_failed(const std::string& vm) {
    auto found = pending_.find(vm);
    if (found != pending_.end()) found->second.shutdown_requested = false;
}

}  // namespace hotseat::libvirt
