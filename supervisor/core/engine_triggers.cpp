// What the world did (connectors, devices, keys, VMs stopping) and the rules it fires.
#include "core/chords.h"
#include "core/connectors.h"
#include "core/effects_util.h"
#include "core/rules.h"
#include "core/usb_passthrough.h"
#include "core/vm_machine.h"
#include "hotseat/engine.h"

namespace hotseat {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

// Only a change between definite statuses of a connector already known is a plug or an unplug:
// not a connector that (re)appears (i915 rebinding after the GPU came back from a VM), nor
// `unknown` (hotseatd(8)). core/connectors.h decides, settling included.
Effects Engine::on_connector(const ConnectorStatus& ev, Now now) {
    ConnectorVerdict verdict = connectors_->on_status(ev, now.mono_ms);
    Effects out;
    if (!verdict.note.empty()) out.push_back(debug("connector " + ev.card + "-" + ev.connector + " " + verdict.note));
    if (verdict.edge == ConnectorEdge::None) return out;
    Observation o;
    o.trigger = verdict.edge == ConnectorEdge::Plug ? Trigger::MonitorConnected : Trigger::MonitorDisconnected;
    o.card = ev.card;
    o.connector = ev.connector;
    append(out, fire_rules(o, now));
    return out;
}

Effects Engine::on_connector_removed(const ConnectorRemoved& ev) {
    connectors_->on_removed(ev.card, ev.connector);
    return {debug("connector " + ev.card + "-" + ev.connector + " went away (driver unbind): not an unplug")};
}

Effects Engine::on_device(const DeviceEvent& ev, Now now) {
    Effects out = usb_->on_device(ev);
    if (ev.initial) return out;
    Observation o;
    o.trigger = ev.kind == DeviceEvent::Kind::Added ? Trigger::DeviceAdded : Trigger::DeviceRemoved;
    o.properties = &ev.properties;
    o.syspath = ev.syspath;
    append(out, fire_rules(o, now));
    return out;
}

Effects Engine::on_keyboard_added(const KeyboardAdded& ev) {
    keyboards_[ev.node] = ev;
    return {debug("keyboard " + ev.node + " (" + ev.name + ") watched for hotkeys")};
}

Effects Engine::on_keyboard_removed(const KeyboardRemoved& ev) {
    // Its input node vanished: unplugged, or usbhid unbound because the VM took the device.
    // Either way not a device.removed (that is the USB device itself); held keys are forgotten.
    keyboards_.erase(ev.node);
    chords_->forget(ev.node);
    return {debug("keyboard " + ev.node + " went away")};
}

Effects Engine::on_key(const KeyEvent& ev, Now now) {
    auto completed = chords_->on_key(ev.node, ev.code, ev.value);
    if (completed.empty()) return {};
    auto kb = keyboards_.find(ev.node);
    Observation o;
    o.trigger = Trigger::Hotkey;
    o.chords = &completed;
    o.subject = ev.node;
    if (kb != keyboards_.end()) o.properties = &kb->second.properties;
    return fire_rules(o, now);
}

// A VM that held its hardware and came to rest (off or failed) fires vm.stopped rules, with
// VM, CAUSE and REASON to match on.
Effects Engine::fire_stopped_rules(const std::vector<VmStatus>& before, Now now) {
    Effects out;
    for (const auto& was : before) {
        bool was_holding = was.state == VmState::Starting || was.state == VmState::Running ||
                           was.state == VmState::Stopping || was.state == VmState::Suspended;
        VmMachine* m = machine(was.name);
        if (!was_holding || !m || m->holds_hardware()) continue;
        std::map<std::string, std::string> props{
            {"VM", was.name}, {"CAUSE", m->stop_cause()}, {"REASON", m->status().reason}};
        Observation o;
        o.trigger = Trigger::VmStopped;
        o.properties = &props;
        o.subject = was.name;
        append(out, fire_rules(o, now));
    }
    return out;
}

Effects Engine::fire_rules(const Observation& o, Now now) {
    Effects out = cancel_holds(o, now);
    const std::string what = o.describe();
    for (const auto& rule : config_.rules) {
        if (!rule_matches(rule, o)) continue;
        if (rule.hold_s > 0) {
            append(out, arm_hold(rule, o, what, now));
            continue;
        }
        append(out, fire_rule(rule, what, o.trigger, now));
    }
    return out;
}

namespace {

// A vm.idle rule's action on its running VM: the stop it means, if it means one.
std::optional<Action> idle_stop(Action action) {
    if (action == Action::Stop || action == Action::Toggle) return Action::Stop;
    if (action == Action::ForceStop) return Action::ForceStop;
    if (action == Action::Hibernate) return Action::Hibernate;
    return std::nullopt;
}

}  // namespace

Effects Engine::fire_rule(const Rule& rule, const std::string& what, Trigger trigger, Now now) {
    Effects out;
    auto last = last_fired_.find(rule.name);
    if (last != last_fired_.end() && now.mono_ms - last->second < config_.supervisor.debounce_ms) {
        out.push_back(debug("rule " + rule.name + ": " + what + " repeated within " +
                            std::to_string(config_.supervisor.debounce_ms) + " ms: ignored"));
        return out;
    }
    last_fired_[rule.name] = now.mono_ms;
    VmMachine* m = machine(rule.vm);
    if (!m) return out;  // the config loader guarantees the VM exists
    out.push_back(RuleFired{rule.name, what, rule.vm, std::string(to_string(rule.action))});
    out.push_back(
        info("rule " + rule.name + " fired on " + what + ": " + std::string(to_string(rule.action)) + " " + rule.vm));
    // Nobody expects an idle desk to go at once: a vm.idle stop is warned first (warn_s).
    auto warned = trigger == Trigger::VmIdle && libvirt_connected_ && m->status().state == VmState::Running
                      ? idle_stop(rule.action)
                      : std::nullopt;
    auto reply = warned ? m->warn_stop(*warned, rule.name, "idle (rule " + rule.name + ")", StopOrigin::Idle, now)
                        : request(*m, rule.action, rule.name, rule.takeover, m->config().stop_mode, now);
    append(out, std::move(reply.effects));
    if (reply.outcome != CommandReply::Outcome::Accepted) {
        m->note_error("rule " + rule.name + ": " + reply.message);
        out.push_back(warning(rule.vm + ": " + m->status().last_error));
    }
    return out;
}

}  // namespace hotseat
