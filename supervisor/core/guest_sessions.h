// The guests of the running VMs (docs/guest-channel.md, docs/design.md "Idleness"): each one's guest
// channel, the helper that said hello on it, the connectors and hotkeys it reports, what it says
// holds idle, and the VM's idle clock fed by guest input and CPU samples. A collaborator of the
// engine like the governor: pure, handed the VMs on each call, returning effects. The guest is
// untrusted: what it reports acts on its own VM only, and the rules it fires (monitor.*, hotkey,
// and vm.idle once the VM is idle) go through the engine's FireRules, which debounces, holds and
// arbitrates them like any other.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/guest_vm.h"
#include "core/machines.h"
#include "hotseat/config.h"
#include "hotseat/effects.h"
#include "hotseat/events.h"

namespace hotseat {

struct Observation;

class GuestSessions {
public:
    // The engine's rule firing: the effects of every rule the observation fires.
    using FireRules = std::function<Effects(const Observation&, Now)>;

    // `rules`: the config's (vm.idle rules say which VMs are watched; hotkey rules, which chords
    // a guest may fire).
    GuestSessions(std::vector<Rule> rules, FireRules fire_rules);

    // guest_sessions.cpp: the channel, the helper's hello, connectors and protocol 2 lines.
    Effects on(const GuestChannelPath& ev, Machines& machines, Now now);
    Effects on(const GuestHello& ev, Machines& machines, Now now);
    Effects on(const GuestConnector& ev, Machines& machines, Now now);
    Effects on(const GuestChannelClosed& ev, Machines& machines, Now now);
    Effects on(const GuestPostpone& ev, Machines& machines, Now now);
    Effects on(const GuestInhibit& ev, Machines& machines, Now now);
    // guest_idle.cpp: idleness.
    Effects on(const GuestInput& ev, Machines& machines, Now now);
    Effects on(const CpuSample& ev, Machines& machines, Now now);
    // guest_hotkeys.cpp: hotkeys pressed inside the desk.
    Effects on(const GuestHotkey& ev, Machines& machines, Now now);

    // After every event: a VM that came up gets its channel looked up and its idle clock started;
    // a VM that left `running` loses both; a lookup libvirt could not answer is asked again once
    // `libvirt_connected`.
    Effects follow(Machines& machines, bool libvirt_connected, Now now);
    // After every event: protocol 2 helpers hear of pending stops that came, moved or were
    // cancelled since `before`.
    Effects tell_pending_stops(const std::vector<VmStatus>& before, const Machines& machines) const;
    Effects on_tick(Now now);
    // A new config's rules: a helper that speaks protocol 2 hears changed hotkeys at once.
    Effects reload(std::vector<Rule> rules);
    std::optional<std::int64_t> deadline() const;

    // What is known of VM `vm`'s guest (a hold looks at its connectors); null: nothing.
    const GuestVm* find(const std::string& vm) const;

private:
    GuestVm* guest(const std::string& vm);
    // Bounds on a guest (issue #19): its helper's version changes told once a minute, connector
    // names beyond the cap dropped.
    Effects tell_helper(const std::string& vm, GuestVm& guest, std::int64_t now_ms);
    Effects drop_connector(const std::string& vm, GuestVm& guest, const std::string& name, std::int64_t now_ms);
    // guest_idle.cpp. Activity ends idleness: the idle clock restarts and a pending idle stop of
    // `machine` (null: no longer configured) is cancelled.
    Effects active(VmMachine* machine, GuestVm& guest, std::int64_t at, const std::string& why);
    Effects check_idle(const std::string& vm, GuestVm& guest, Now now);
    bool has_idle_rule(const std::string& vm) const;

    std::vector<Rule> rules_;
    FireRules fire_rules_;
    std::map<std::string, GuestVm> vms_;  // VM name → its guest, once something is known about it
};

}  // namespace hotseat
