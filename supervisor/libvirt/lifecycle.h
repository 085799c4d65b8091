// Turns libvirt's lifecycle events (event, detail) for a domain into the engine's DomainLifecycle.
// It remembers, per domain, what explains the next STOPPED: a SHUTDOWN event's detail (the guest
// or the host asked) and whether hotseat itself requested an ACPI shutdown. Only STOPPED/SHUTDOWN
// that nobody on the host asked for counts as the guest powering itself off (by_guest).
// Pure: no libvirt calls, no locking (the caller serialises).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hotseat/events.h"

namespace hotseat::libvirt {

class LifecycleTranslator {
public:
    // nullopt for events the engine does not act on (DEFINED, SUSPENDED, RESUMED, SHUTDOWN ...).
    // PMSUSPENDED is Suspended with detail "memory" or "disk"; a wake-up is Started "wakeup".
    std::optional<DomainLifecycle> translate(const std::string& vm, int event, int detail);

    // Called before/after hotseat's own virDomainShutdown, so its STOPPED is not the guest's doing.
    void shutdown_requested(const std::string& vm);
    void shutdown_request_failed(const std::string& vm);

private:
    struct Pending {
        bool shutdown_requested = false;
        std::optional<int> shutdown_detail;  // VIR_DOMAIN_EVENT_SHUTDOWN_* seen since the start
    };
    std::map<std::string, Pending> pending_;
};

}  // namespace hotseat::libvirt
