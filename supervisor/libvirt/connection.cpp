#include "libvirt/connection.h"

#include <libvirt/virterror.h>

#include "libvirt/errors.h"

namespace hotseat::libvirt {

namespace {

using SharedListener = std::shared_ptr<ConnectionListener>;

int on_lifecycle(virConnectPtr, virDomainPtr domain, int event, int detail, void* opaque) {
    const char* name = virDomainGetName(domain);
    if (name != nullptr) (*static_cast<SharedListener*>(opaque))->on_lifecycle(name, event, detail);
    return 0;
}

// libvirt calls this once the callback is deregistered and no dispatch is using it any more.
void release_listener(void* opaque) { delete static_cast<SharedListener*>(opaque); }

std::string close_reason(int reason) {
    switch (reason) {
        case VIR_CONNECT_CLOSE_REASON_ERROR: return "libvirt connection closed: I/O error";
        case VIR_CONNECT_CLOSE_REASON_EOF: return "libvirt connection closed: end of file";
        case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return "libvirt connection closed: keepalive timeout";
        case VIR_CONNECT_CLOSE_REASON_CLIENT: return "libvirt connection closed by the client";
        default: return "libvirt connection closed";
    }
}

// libvirt calls the close callback under the lock that virConnectUnregisterCloseCallback takes,
// so once unregistered it is never running: a plain pointer to our member is safe.
void on_close(virConnectPtr, int reason, void* opaque) {
    (*static_cast<SharedListener*>(opaque))->on_closed(close_reason(reason));
}

DomainRunState run_state(int state) {
    switch (state) {
        case VIR_DOMAIN_PAUSED: return DomainRunState::Paused;
        case VIR_DOMAIN_RUNNING:
        case VIR_DOMAIN_BLOCKED:
        case VIR_DOMAIN_SHUTDOWN:  // still shutting down: QEMU is alive and holds the hardware
            return DomainRunState::Running;
        case VIR_DOMAIN_PMSUSPENDED:  // asleep in RAM: QEMU holds the memory and the hardware still
            return DomainRunState::Suspended;
        case VIR_DOMAIN_CRASHED: return DomainRunState::Crashed;
        default: return DomainRunState::Off;
    }
}

}  // namespace

std::unique_ptr<Connection> Connection::open(const std::string& uri, std::shared_ptr<ConnectionListener> listener,
                                             std::string* error) {
    util::VirConnect handle(virConnectOpen(uri.c_str()));
    if (!handle) {
        *error = last_error_message();
        return nullptr;
    }
    std::unique_ptr<Connection> connection(new Connection(std::move(handle), std::move(listener)));
    if (!connection->register_callbacks(error)) return nullptr;
    // Notices a hung daemon (EOF covers a dead one): after kKeepAliveIntervalS seconds without a
    // packet from libvirtd, a ping; no answer within as long again, and the connection is closed
    // (VIR_CONNECT_CLOSE_REASON_KEEPALIVE). Any packet resets the clock, and a stock libvirtd pings
    // every idle event client every 5 s itself (keepalive_interval in libvirtd.conf), so against
    // it this costs no wakeup at all; against one that pings nobody, one exchange per interval.
    // Measured, and what detection costs, in docs/benchmarks.md ("Idle") and docs/robustness.md.
    // Drivers without keepalive (test://) refuse; that costs nothing.
    virConnectSetKeepAlive(connection->handle_.get(), kKeepAliveIntervalS, kKeepAliveCount);
    return connection;
}

Connection::Connection(util::VirConnect handle, std::shared_ptr<ConnectionListener> listener)
    : handle_(std::move(handle)), listener_(std::move(listener)) {}

bool Connection::register_callbacks(std::string* error) {
    auto* opaque = new SharedListener(listener_);
    lifecycle_callback_ = virConnectDomainEventRegisterAny(handle_.get(), nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                           VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), opaque,
                                                           release_listener);
    if (lifecycle_callback_ < 0) {
        *error = last_error_message();
        delete opaque;  // libvirt frees it only once registered
        return false;
    }
    if (virConnectRegisterCloseCallback(handle_.get(), on_close, &listener_, nullptr) < 0) {
        *error = last_error_message();
        return false;
    }
    close_callback_registered_ = true;
    return true;
}

Connection::~Connection() {
    // Callbacks first, while the connection still exists (handle_ closes it afterwards); failures
    // here (a dead daemon) leave nothing behind: libvirt drops the client-side registration before
    // it asks the server.
    if (lifecycle_callback_ >= 0) virConnectDomainEventDeregisterAny(handle_.get(), lifecycle_callback_);
    if (close_callback_registered_) virConnectUnregisterCloseCallback(handle_.get(), on_close);
}

CallOutcome Connection::failure() {
    CallOutcome outcome;
    outcome.error = last_error_message();
    outcome.lost = connection_is_dead(handle_.get());
    return outcome;
}

SnapshotOutcome Connection::snapshot(const std::string& name) {
    SnapshotOutcome result;
    result.snapshot.vm = name;
    util::VirDomain domain(virDomainLookupByName(handle_.get(), name.c_str()));
    if (!domain) {
        if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
            result.call.ok = true;  // a fact, not a failure: exists stays false
        else
            result.call = failure();
        return result;
    }
    int state = VIR_DOMAIN_NOSTATE;
    int reason = 0;
    if (virDomainGetState(domain.get(), &state, &reason, 0) < 0) {
        result.call = failure();
    } else {
        result.call.ok = true;
        result.snapshot.exists = true;
        result.snapshot.state = run_state(state);
        // Reported, not acted on: what a half-made domain means is the engine's decision
        // (core/vm_machine.cpp), where the scenarios can see it.
        result.snapshot.paused_mid_start = state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_STARTING_UP;
    }
    return result;
}

CallOutcome Connection::with_domain(const std::string& name, const std::function<int(util::VirDomain&)>& call) {
    util::VirDomain domain(virDomainLookupByName(handle_.get(), name.c_str()));
    if (!domain) return failure();
    if (call(domain) < 0) return failure();  // read before `domain` is freed, which resets it
    return CallOutcome{true, "", false};
}

}  // namespace hotseat::libvirt
