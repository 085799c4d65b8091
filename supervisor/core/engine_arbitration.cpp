// Requests (rules and D-Bus) and the exclusive devices they compete for: a VM cannot start while
// another running VM holds one of its PCI devices, unless the rule says takeover = true.
#include <algorithm>

#include "core/effects_util.h"
#include "core/vm_machine.h"
#include "hotseat/engine.h"

namespace hotseat {
namespace {

using fx::append;
using fx::info;
using fx::warning;

bool would_start(Action action, VmState state) {
    if (action == Action::Start) return true;
    return action == Action::Toggle && (state == VmState::Off || state == VmState::Failed ||
                                        state == VmState::Stopping || state == VmState::Suspended);
}

}  // namespace

CommandReply Engine::apply_command(const Command& cmd, Now now) {
    VmMachine* m = machine(cmd.vm);
    if (!m) {
        std::string names;
        for (const auto& vm : config_.vms) names += (names.empty() ? "" : ", ") + vm.name;
        return {CommandReply::Outcome::NotFound,
                "no VM named \"" + cmd.vm + "\" (configured: " + (names.empty() ? "none" : names) + ")",
                {}};
    }
    // Stop over the bus is a shutdown whatever stop_mode says; Hibernate is its own method.
    return request(*m, cmd.action, cmd.origin, false, StopMode::Shutdown, now);
}

CommandReply Engine::request(VmMachine& m, Action action, const std::string& reason, bool takeover, StopMode stop_as,
                             Now now) {
    // Without libvirt every request would end in a libvirt error later: refuse it now, clearly.
    if (!libvirt_connected_)
        return {CommandReply::Outcome::Failed, "not connected to libvirt (" + config_.supervisor.libvirt_uri + ")", {}};
    if (would_start(action, m.status().state) && !m.holds_hardware()) {
        auto holders = holders_of_devices(m);
        if (!holders.empty()) {
            if (!takeover) return {CommandReply::Outcome::Busy, busy_message(m, holders), {}};
            return take_over(m, holders, reason, now);
        }
    }
    return m.request(action, reason, stop_as, now);
}

std::vector<VmMachine*> Engine::holders_of_devices(const VmMachine& wanted) {
    std::vector<VmMachine*> holders;
    for (auto& other : machines_) {
        if (other.get() == &wanted || !other->holds_hardware()) continue;
        for (const auto& dev : wanted.config().gpu)
            if (std::count(other->config().gpu.begin(), other->config().gpu.end(), dev)) {
                holders.push_back(other.get());
                break;
            }
    }
    return holders;
}

std::string Engine::busy_message(const VmMachine& wanted, const std::vector<VmMachine*>& holders) {
    std::string msg;
    for (auto* h : holders) {
        for (const auto& dev : wanted.config().gpu)
            if (std::count(h->config().gpu.begin(), h->config().gpu.end(), dev)) {
                msg += (msg.empty() ? "" : "; ") + dev + " is held by VM \"" + h->config().name + "\" (" +
                       std::string(to_string(h->status().state)) + ")";
                break;
            }
    }
    return msg;
}

CommandReply Engine::take_over(VmMachine& m, const std::vector<VmMachine*>& holders, const std::string& reason,
                               Now now) {
    CommandReply reply;
    for (auto* h : holders) {
        // The holder stops its own way: a desk that hibernates keeps its session for later.
        auto stopped = h->request(Action::Stop, "takeover by " + m.config().name + " (" + reason + ")",
                                  h->config().stop_mode, now);
        append(reply.effects, std::move(stopped.effects));
    }
    pending_takeovers_[m.config().name] = reason;
    reply.effects.push_back(
        info(m.config().name + ": waiting for " + busy_message(m, holders) + " to stop (takeover)"));
    return reply;
}

Effects Engine::resume_takeovers(Now now) {
    Effects out;
    for (auto it = pending_takeovers_.begin(); it != pending_takeovers_.end();) {
        VmMachine* m = machine(it->first);
        if (!m) {
            it = pending_takeovers_.erase(it);
            continue;
        }
        auto holders = holders_of_devices(*m);
        bool holders_settled = std::all_of(holders.begin(), holders.end(),
                                           [](VmMachine* h) { return h->status().state == VmState::Failed; });
        if (!holders.empty() && !holders_settled) {
            ++it;
            continue;
        }
        std::string reason = it->second;
        it = pending_takeovers_.erase(it);
        if (!holders.empty()) {
            m->note_error("takeover failed: " + busy_message(*m, holders));
            out.push_back(warning(m->config().name + ": " + m->status().last_error));
            continue;
        }
        append(out, request(*m, Action::Start, reason, false, StopMode::Shutdown, now).effects);
    }
    return out;
}

}  // namespace hotseat
