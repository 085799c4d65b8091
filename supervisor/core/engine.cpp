#include "hotseat/engine.h"

#include <algorithm>
#include <type_traits>

#include "core/rules.h"
#include "core/vm_machine.h"

namespace hotseat {
namespace {

Log info(std::string message) { return Log{Log::Level::Info, std::move(message)}; }
Log debug(std::string message) { return Log{Log::Level::Debug, std::move(message)}; }
Log warning(std::string message) { return Log{Log::Level::Warning, std::move(message)}; }

void append(Effects& out, Effects more) {
    for (auto& e : more) out.push_back(std::move(e));
}

bool would_start(Action action, VmState state) {
    if (action == Action::Start) return true;
    return action == Action::Toggle &&
           (state == VmState::Off || state == VmState::Failed || state == VmState::Stopping);
}

// What the engine publishes, taken before and after an event so that only changes go out.
struct Published {
    std::vector<VmStatus> vms;
    std::vector<MonitorStatus> monitors;
    bool libvirt_connected;
};

}  // namespace

std::string_view to_string(VmState state) {
    switch (state) {
        case VmState::Off: return "off";
        case VmState::Starting: return "starting";
        case VmState::Running: return "running";
        case VmState::Stopping: return "stopping";
        case VmState::Failed: return "failed";
    }
    return "unknown";
}

Engine::Engine(Config config) : config_(std::move(config)) {
    for (const auto& vm : config_.vms) machines_.push_back(std::make_unique<VmMachine>(vm));
}

Engine::~Engine() = default;

Effects Engine::reload(Config config) {
    std::vector<std::unique_ptr<VmMachine>> kept;
    Effects out;
    for (const auto& vm : config.vms) {
        auto it = std::find_if(machines_.begin(), machines_.end(),
                               [&](const auto& m) { return m && m->config().name == vm.name; });
        if (it != machines_.end()) {
            (*it)->replace_config(vm);
            kept.push_back(std::move(*it));
        } else {
            kept.push_back(std::make_unique<VmMachine>(vm));
            out.push_back(PublishVm{kept.back()->status()});
        }
    }
    for (const auto& m : machines_)
        if (m) out.push_back(info(m->config().name + ": no longer configured; left " +
                                  std::string(to_string(m->status().state)) + " and no longer managed"));
    machines_ = std::move(kept);
    config_ = std::move(config);
    for (auto it = last_fired_.begin(); it != last_fired_.end();)
        it = std::any_of(config_.rules.begin(), config_.rules.end(),
                         [&](const Rule& r) { return r.name == it->first; })
                 ? std::next(it)
                 : last_fired_.erase(it);
    pending_takeovers_.clear();
    out.push_back(info("configuration reloaded from " + config_.path + ": " +
                       std::to_string(config_.vms.size()) + " VMs, " +
                       std::to_string(config_.rules.size()) + " rules"));
    return out;
}

Effects Engine::initial_effects(Now) const {
    Effects out;
    out.push_back(PublishLibvirtConnected{libvirt_connected_});
    out.push_back(PublishMonitors{monitors()});
    for (const auto& m : machines_) out.push_back(PublishVm{m->status()});
    return out;
}

std::vector<VmStatus> Engine::vms() const {
    std::vector<VmStatus> out;
    for (const auto& m : machines_) out.push_back(m->status());
    return out;
}

const VmStatus* Engine::vm(const std::string& name) const {
    for (const auto& m : machines_)
        if (m->config().name == name) return &m->status();
    return nullptr;
}

std::vector<MonitorStatus> Engine::monitors() const {
    std::vector<MonitorStatus> out;
    for (const auto& [key, status] : monitors_) out.push_back(status);
    return out;
}

VmMachine* Engine::machine(const std::string& name) {
    for (auto& m : machines_)
        if (m->config().name == name) return m.get();
    return nullptr;
}

std::optional<std::int64_t> Engine::next_deadline_ms() const {
    std::optional<std::int64_t> next;
    for (const auto& m : machines_)
        if (auto d = m->deadline(); d && (!next || *d < *next)) next = d;
    return next;
}

Effects Engine::handle(const Event& event, Now now) {
    Published before{vms(), monitors(), libvirt_connected_};
    Effects out = std::visit(
        [&](const auto& ev) -> Effects {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, ConnectorStatus>) return on_connector(ev, now);
            else if constexpr (std::is_same_v<T, ConnectorRemoved>) return on_connector_removed(ev);
            else if constexpr (std::is_same_v<T, DeviceEvent>) return on_device(ev, now);
            else if constexpr (std::is_same_v<T, LibvirtConnection>) return on_libvirt(ev, now);
            else if constexpr (std::is_same_v<T, Tick>) return on_tick(now);
            else if constexpr (std::is_same_v<T, Command>) return apply_command(ev, now).effects;
            else {  // DomainSnapshot, DomainLifecycle, DomainOpResult: one VM's business
                VmMachine* m = machine(ev.vm);
                if (!m) return {debug("libvirt reported on unconfigured domain " + ev.vm + ": ignored")};
                if constexpr (std::is_same_v<T, DomainSnapshot>) return m->on_snapshot(ev, now);
                else if constexpr (std::is_same_v<T, DomainLifecycle>) return m->on_lifecycle(ev, now);
                else return m->on_result(ev, now);
            }
        },
        event);
    append(out, resume_takeovers(now));
    publish_changes(before.vms, before.monitors, before.libvirt_connected, out);
    return out;
}

CommandReply Engine::command(const Command& cmd, Now now) {
    auto before_vms = vms();
    auto before_monitors = monitors();
    bool before_libvirt = libvirt_connected_;
    CommandReply reply = apply_command(cmd, now);
    append(reply.effects, resume_takeovers(now));
    publish_changes(before_vms, before_monitors, before_libvirt, reply.effects);
    return reply;
}

CommandReply Engine::apply_command(const Command& cmd, Now now) {
    VmMachine* m = machine(cmd.vm);
    if (!m) {
        std::string names;
        for (const auto& vm : config_.vms) names += (names.empty() ? "" : ", ") + vm.name;
        return {CommandReply::Outcome::NotFound,
                "no VM named \"" + cmd.vm + "\" (configured: " + (names.empty() ? "none" : names) + ")",
                {}};
    }
    return request(*m, cmd.action, cmd.origin, false, now);
}

CommandReply Engine::request(VmMachine& m, Action action, const std::string& reason, bool takeover,
                             Now now) {
    if (would_start(action, m.status().state) && !m.holds_hardware()) {
        if (!libvirt_connected_)
            return {CommandReply::Outcome::Failed,
                    "not connected to libvirt (" + config_.supervisor.libvirt_uri + ")", {}};
        auto holders = holders_of_devices(m);
        if (!holders.empty()) {
            if (!takeover) return {CommandReply::Outcome::Busy, busy_message(m, holders), {}};
            return take_over(m, holders, reason, now);
        }
    }
    return m.request(action, reason, now);
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

CommandReply Engine::take_over(VmMachine& m, const std::vector<VmMachine*>& holders,
                               const std::string& reason, Now now) {
    CommandReply reply;
    for (auto* h : holders) {
        auto stopped = h->request(Action::Stop, "takeover by " + m.config().name + " (" + reason + ")", now);
        append(reply.effects, std::move(stopped.effects));
    }
    pending_takeovers_[m.config().name] = reason;
    reply.effects.push_back(info(m.config().name + ": waiting for " + busy_message(m, holders) +
                                 " to stop (takeover)"));
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
        bool holders_settled = std::all_of(holders.begin(), holders.end(), [](VmMachine* h) {
            return h->status().state == VmState::Failed;
        });
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
        append(out, request(*m, Action::Start, reason, false, now).effects);
    }
    return out;
}

Effects Engine::on_connector(const ConnectorStatus& ev, Now now) {
    std::string key = ev.card + "-" + ev.connector;
    auto it = monitors_.find(key);
    bool known = it != monitors_.end();
    bool changed = known && it->second.connected != ev.connected;
    monitors_[key] = MonitorStatus{ev.connector, ev.connected};
    // Only a status change of a connector we already knew is a plug or an unplug. A connector
    // that (re)appears — i915 rebinding after the GPU came back from a VM — is not (DESIGN §3.1).
    if (!changed || ev.initial) return {};
    Observation o{ev.connected ? Trigger::MonitorConnected : Trigger::MonitorDisconnected, ev.card,
                  ev.connector, nullptr};
    return fire_rules(o, now);
}

Effects Engine::on_connector_removed(const ConnectorRemoved& ev) {
    monitors_.erase(ev.card + "-" + ev.connector);
    return {debug("connector " + ev.card + "-" + ev.connector + " went away (driver unbind): not an unplug")};
}

Effects Engine::on_device(const DeviceEvent& ev, Now now) {
    if (ev.initial) return {};
    Observation o;
    o.trigger = ev.kind == DeviceEvent::Kind::Added ? Trigger::DeviceAdded : Trigger::DeviceRemoved;
    o.properties = &ev.properties;
    return fire_rules(o, now);
}

Effects Engine::on_libvirt(const LibvirtConnection& ev, Now) {
    if (ev.connected == libvirt_connected_) return {};
    libvirt_connected_ = ev.connected;
    if (ev.connected) return {info("connected to libvirt (" + config_.supervisor.libvirt_uri + ")")};
    return {warning("lost libvirt (" + config_.supervisor.libvirt_uri + "): " + ev.error)};
}

Effects Engine::on_tick(Now now) {
    Effects out;
    for (auto& m : machines_) append(out, m->on_tick(now));
    return out;
}

Effects Engine::fire_rules(const Observation& o, Now now) {
    Effects out;
    const std::string what = o.describe();
    for (const auto& rule : config_.rules) {
        if (!rule_matches(rule, o)) continue;
        auto last = last_fired_.find(rule.name);
        if (last != last_fired_.end() && now.mono_ms - last->second < config_.supervisor.debounce_ms) {
            out.push_back(debug("rule " + rule.name + ": " + what + " repeated within " +
                                std::to_string(config_.supervisor.debounce_ms) + " ms: ignored"));
            continue;
        }
        last_fired_[rule.name] = now.mono_ms;
        VmMachine* m = machine(rule.vm);
        if (!m) continue;  // the config loader guarantees the VM exists
        out.push_back(RuleFired{rule.name, what, rule.vm, std::string(to_string(rule.action))});
        out.push_back(info("rule " + rule.name + " fired on " + what + ": " +
                           std::string(to_string(rule.action)) + " " + rule.vm));
        auto reply = request(*m, rule.action, rule.name, rule.takeover, now);
        append(out, std::move(reply.effects));
        if (reply.outcome != CommandReply::Outcome::Accepted) {
            m->note_error("rule " + rule.name + ": " + reply.message);
            out.push_back(warning(rule.vm + ": " + m->status().last_error));
        }
    }
    return out;
}

void Engine::publish_changes(const std::vector<VmStatus>& before_vms,
                             const std::vector<MonitorStatus>& before_monitors, bool before_libvirt,
                             Effects& out) const {
    if (before_libvirt != libvirt_connected_) out.push_back(PublishLibvirtConnected{libvirt_connected_});
    auto now_monitors = monitors();
    if (now_monitors != before_monitors) out.push_back(PublishMonitors{std::move(now_monitors)});
    for (size_t i = 0; i < machines_.size(); ++i) {
        const auto& status = machines_[i]->status();
        if (i >= before_vms.size() || !(before_vms[i] == status)) out.push_back(PublishVm{status});
    }
}

}  // namespace hotseat
