// What the libvirt adapter does for each LibvirtEffect (include/hotseat/effects.h): one function
// per effect in effect_calls.cpp makes the effect's libvirt calls through a Link and returns the
// answer the engine hears (DomainOpResult, UsbOpResult, TuneResult, GuestChannelPath, CpuSample).
//
// The same function gives the answer while libvirt is unreachable: State hands it a link that
// fails every lookup at once without calling libvirt, so the effect is answered "not connected"
// in its own shape, right away and under State's mutex (libvirt/state.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hotseat/effects.h"
#include "hotseat/events.h"
#include "libvirt/connection.h"
#include "util/handles.h"

namespace hotseat::libvirt {

class State;

// A domain looked up for one effect's call: given to the call only while connected, on the worker.
struct Domain {
    util::VirDomain& handle;              // a call that outlives the job moves it out (HibernateDomain)
    const std::shared_ptr<State>& state;  // for what a call notes (a shutdown) or hands on (a hibernation)
};

// Where an effect's calls go: the worker's connection, or nowhere while libvirt is unreachable.
class Link {
public:
    virtual ~Link() = default;
    // Looks `vm` up and runs `call` on it. `call` returns libvirt's negative for a failed call,
    // whose message is read at once. ok, or why not; lost when the connection itself is gone.
    virtual CallOutcome on_domain(const std::string& vm, const std::function<int(Domain&)>& call) = 0;
};

// The effect's answer for the caller to post; nullopt when it comes later from elsewhere (a
// HibernateDomain that reached the domain: its thread posts the answer, libvirt/agent_call.h).
std::optional<Event> carry_out(Link& link, const LibvirtEffect& effect);

}  // namespace hotseat::libvirt
