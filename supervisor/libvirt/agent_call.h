// The one libvirt call that may block for as long as the guest likes: the guest agent's suspend to
// disk (virDomainPMSuspendForDuration). libvirt returns once QEMU reports the guest entering S4 or
// the agent goes away with the guest; a guest that takes the request and then hangs holds it until
// QEMU exits. Run on the worker, it would hold up the ACPI shutdown and the destroy that the
// engine's fallback sends meanwhile (docs/hibernate.md), so it runs on a thread of its own.
#pragma once

#include <memory>
#include <string>

#include "util/handles.h"

namespace hotseat::libvirt {

class State;

// Takes `domain` (freed when the call returns; it keeps its connection alive until then) and
// posts one DomainOpResult{vm, Hibernate} to the state's outbox. The thread is detached: stopping
// the Hypervisor never waits for a guest, and nothing but the result ever comes of it.
void hibernate_apart(util::VirDomain domain, std::string vm, std::shared_ptr<State> state);

}  // namespace hotseat::libvirt
