// The engine's VMs, one state machine each (core/vm_machine.h), as the engine hands them to its
// collaborators (the governor, USB passthrough, the guest sessions) on every call: they keep no
// pointer to a VM between calls, since a reload replaces the list.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace hotseat {

class VmMachine;
using Machines = std::vector<std::unique_ptr<VmMachine>>;

// The state machine of the VM named `name`; null when no such VM is configured.
VmMachine* find_machine(const Machines& machines, const std::string& name);

}  // namespace hotseat
