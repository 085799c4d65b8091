#include "libvirt/agent_call.h"

#include <thread>

#include "libvirt/errors.h"
#include "libvirt/state.h"

namespace hotseat::libvirt {
namespace {

// After a failed suspend: is the domain going down anyway? A guest that powers off after its
// agent took the request (instead of entering S4, which libvirt reports as success) makes the
// call fail with the agent's end of file; by then libvirt has marked the domain shutting down,
// since it learns of the guest's shutdown before it stops QEMU.
bool going_down(virDomainPtr domain) {
    int state = VIR_DOMAIN_NOSTATE;
    if (virDomainGetState(domain, &state, nullptr, 0) < 0) return false;
    return state == VIR_DOMAIN_SHUTDOWN || state == VIR_DOMAIN_SHUTOFF;
}

void hibernate(util::VirDomain domain, const std::string& vm, const std::shared_ptr<State>& state) {
    DomainOpResult result{vm, DomainOp::Hibernate, false, "", false};
    if (virDomainPMSuspendForDuration(domain.get(), VIR_NODE_SUSPEND_TARGET_DISK, 0, 0) == 0) {
        result.ok = true;
    } else {
        result.error = last_error_message();
        result.guest_went_down = going_down(domain.get());
    }
    domain.reset();  // before the result: the connection is not held past the job
    state->outbox().post(std::move(result));
}

}  // namespace

void hibernate_apart(util::VirDomain domain, std::string vm, std::shared_ptr<State> state) {
    std::thread(hibernate, std::move(domain), std::move(vm), std::move(state)).detach();
}

}  // namespace hotseat::libvirt
