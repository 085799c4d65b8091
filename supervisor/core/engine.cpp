// The engine's frame: construction and reload, dispatch of events to the right place, and
// publishing what changed. Triggers live in engine_triggers.cpp, requests and exclusive devices
// in engine_arbitration.cpp, one VM's behaviour in vm_machine.cpp.
#include "hotseat/engine.h"

#include <algorithm>
#include <type_traits>

#include "core/chords.h"
#include "core/connectors.h"
#include "core/effects_util.h"
#include "core/governor.h"
#include "core/guest_sessions.h"
#include "core/holds.h"
#include "core/keyboard_watch.h"
#include "core/rules.h"
#include "core/usb_passthrough.h"
#include "core/vm_machine.h"

namespace hotseat {

using fx::append;
using fx::debug;
using fx::info;
using fx::warning;

std::string_view to_string(VmState state) {
    switch (state) {
        case VmState::Off: return "off";
        case VmState::Starting: return "starting";
        case VmState::Running: return "running";
        case VmState::Stopping: return "stopping";
        case VmState::Failed: return "failed";
        case VmState::Suspended: return "suspended";
    }
    return "unknown";
}

Engine::Engine(Config config)
    : config_(std::move(config)),
      connectors_(std::make_unique<ConnectorTracker>()),
      chords_(std::make_unique<ChordTracker>()),
      governor_(std::make_unique<Governor>(config_.governor)),
      // What a guest reports fires rules like the host's observations: debounced, held, arbitrated.
      guests_(std::make_unique<GuestSessions>(config_.rules,
                                              [this](const Observation& o, Now now) { return fire_rules(o, now); })),
      holds_(std::make_unique<Holds>()),
      usb_(std::make_unique<UsbPassthrough>()) {
    follow_configured_gpus();
    for (const auto& vm : config_.vms) machines_.push_back(std::make_unique<VmMachine>(vm));
    chords_->set_rules(config_.rules);
}

Engine::~Engine() = default;

Effects Engine::reload(Config config) {
    std::vector<std::unique_ptr<VmMachine>> kept;
    Effects out;
    const auto gpus_before = gpus();
    const WatchKeyboards watch_before = keyboard_watch(config_);
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
        if (m)
            out.push_back(info(m->config().name + ": no longer configured; left " +
                               std::string(to_string(m->status().state)) + " and no longer managed"));
    machines_ = std::move(kept);
    config_ = std::move(config);
    for (auto it = last_fired_.begin(); it != last_fired_.end();)
        it = std::any_of(config_.rules.begin(), config_.rules.end(), [&](const Rule& r) { return r.name == it->first; })
                 ? std::next(it)
                 : last_fired_.erase(it);
    pending_takeovers_.clear();
    append(out, reload_holds());
    follow_configured_gpus();
    chords_->set_rules(config_.rules);
    if (auto watch = keyboard_watch(config_); watch != watch_before) {
        out.push_back(info("hotkeys: keyboards are now read for " + describe(watch)));
        out.push_back(WatchKeyboards{std::move(watch)});
    }
    append(out, guests_->reload(config_.rules));
    append(out, governor_->reload(config_.governor, machines_));
    if (auto now_gpus = gpus(); now_gpus != gpus_before) out.push_back(PublishGpus{std::move(now_gpus)});
    out.push_back(info("configuration reloaded from " + config_.path + ": " + std::to_string(config_.vms.size()) +
                       " VMs, " + std::to_string(config_.rules.size()) + " rules"));
    return out;
}

Effects Engine::initial_effects(Now) const {
    Effects out;
    out.push_back(PublishLibvirtConnected{libvirt_connected_});
    out.push_back(PublishMonitors{monitors()});
    out.push_back(PublishKeyboards{keyboards()});
    out.push_back(PublishGpus{gpus()});
    for (const auto& m : machines_) out.push_back(PublishVm{m->status()});
    out.push_back(WatchKeyboards{keyboard_watch(config_)});
    return out;
}

std::vector<VmStatus> Engine::vms() const {
    std::vector<VmStatus> out;
    for (const auto& m : machines_) out.push_back(m->status());
    return out;
}

const VmStatus* Engine::vm(const std::string& name) const {
    const VmMachine* m = find_machine(machines_, name);
    return m ? &m->status() : nullptr;
}

std::vector<MonitorStatus> Engine::monitors() const { return connectors_->published(); }

std::vector<KeyboardStatus> Engine::keyboards() const {
    std::vector<KeyboardStatus> out;
    for (const auto& [node, kb] : keyboards_) out.push_back(KeyboardStatus{kb.node, kb.name});
    return out;
}

VmMachine* Engine::machine(const std::string& name) { return find_machine(machines_, name); }

std::optional<std::int64_t> Engine::next_deadline_ms() const {
    std::optional<std::int64_t> next;
    for (const auto& m : machines_)
        if (auto d = m->deadline(); d && (!next || *d < *next)) next = d;
    if (auto d = governor_->deadline(); d && (!next || *d < *next)) next = d;
    if (auto d = guests_->deadline(); d && (!next || *d < *next)) next = d;
    if (auto d = hold_deadline(); d && (!next || *d < *next)) next = d;
    return next;
}

Effects Engine::handle(const Event& event, Now now) {
    Published before = published();
    Effects out = dispatch(event, now);
    settle(before, now, out);
    return out;
}

CommandReply Engine::command(const Command& cmd, Now now) {
    Published before = published();
    CommandReply reply = apply_command(cmd, now);
    settle(before, now, reply.effects);
    return reply;
}

CommandReply Engine::postpone(const PostponeRequest& request, Now now) {
    Published before = published();
    VmMachine* m = machine(request.vm);
    if (!m) return {CommandReply::Outcome::NotFound, "no VM named \"" + request.vm + "\"", {}};
    CommandReply reply = m->postpone(request.seconds, request.origin, now);
    settle(before, now, reply.effects);
    return reply;
}

Effects Engine::dispatch(const Event& event, Now now) {
    return std::visit(
        [&](const auto& ev) -> Effects {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, ConnectorStatus>)
                return on_connector(ev, now);
            else if constexpr (std::is_same_v<T, ConnectorRemoved>)
                return on_connector_removed(ev);
            else if constexpr (std::is_same_v<T, DeviceEvent>)
                return on_device(ev, now);
            else if constexpr (std::is_same_v<T, KeyboardAdded>)
                return on_keyboard_added(ev);
            else if constexpr (std::is_same_v<T, KeyboardRemoved>)
                return on_keyboard_removed(ev);
            else if constexpr (std::is_same_v<T, KeyEvent>)
                return on_key(ev, now);
            else if constexpr (std::is_same_v<T, LibvirtConnection>)
                return on_libvirt(ev, now);
            else if constexpr (std::is_same_v<T, Tick>)
                return on_tick(now);
            else if constexpr (std::is_same_v<T, Command>)
                return apply_command(ev, now).effects;
            else if constexpr (std::is_same_v<T, UsbDeviceBinding>)
                return usb_->on_binding(ev);
            else if constexpr (std::is_same_v<T, UsbOpResult>)
                return usb_->on_result(ev, machine(ev.vm), libvirt_connected_);
            else if constexpr (std::is_same_v<T, PressureStall>)
                return governor_->on_stall(ev, machines_, now);
            else if constexpr (std::is_same_v<T, TuneResult>)
                return governor_->on_result(ev, machine(ev.vm));
            else if constexpr (std::is_same_v<T, GpuDriver>)
                return on_gpu_driver(ev);
            else if constexpr (std::is_same_v<T, GpuRelease>)
                return on_gpu_release(ev);
            else if constexpr (std::is_same_v<T, GuestChannelPath> || std::is_same_v<T, GuestHello> ||
                               std::is_same_v<T, GuestConnector> || std::is_same_v<T, GuestInput> ||
                               std::is_same_v<T, GuestChannelClosed> || std::is_same_v<T, CpuSample> ||
                               std::is_same_v<T, GuestPostpone> || std::is_same_v<T, GuestInhibit> ||
                               std::is_same_v<T, GuestHotkey>)
                return guests_->on(ev, machines_, now);
            else {  // DomainSnapshot, DomainLifecycle, DomainOpResult: one VM's business
                VmMachine* m = machine(ev.vm);
                if (!m) return {debug("libvirt reported on unconfigured domain " + ev.vm + ": ignored")};
                if constexpr (std::is_same_v<T, DomainSnapshot>)
                    return m->on_snapshot(ev, now);
                else if constexpr (std::is_same_v<T, DomainLifecycle>)
                    return m->on_lifecycle(ev, now);
                else
                    return m->on_result(ev, now);
            }
        },
        event);
}

// After every event: a VM that stopped may fire vm.stopped rules, a takeover may proceed, and
// whatever changed is published, once.
void Engine::settle(const Published& before, Now now, Effects& out) {
    append(out, fire_stopped_rules(before.vms, now));
    append(out, resume_takeovers(now));
    append(out, usb_->reconcile(machines_, libvirt_connected_));
    append(out, governor_->follow(before.vms, machines_));
    append(out, governor_->notice_cancelled_stops(machines_, now));
    append(out, guests_->follow(machines_, libvirt_connected_, now));
    append(out, guests_->tell_pending_stops(before.vms, machines_));
    read_release_records(before.vms, out);
    publish_changes(before, out);
}

Engine::Published Engine::published() const {
    return Published{vms(), monitors(), keyboards(), libvirt_connected_, gpus()};
}

void Engine::publish_changes(const Published& before, Effects& out) const {
    if (before.libvirt_connected != libvirt_connected_) out.push_back(PublishLibvirtConnected{libvirt_connected_});
    if (auto now_monitors = monitors(); now_monitors != before.monitors)
        out.push_back(PublishMonitors{std::move(now_monitors)});
    if (auto now_keyboards = keyboards(); now_keyboards != before.keyboards)
        out.push_back(PublishKeyboards{std::move(now_keyboards)});
    if (auto now_gpus = gpus(); now_gpus != before.gpus) out.push_back(PublishGpus{std::move(now_gpus)});
    for (const auto& m : machines_) {
        const auto& status = m->status();
        auto was = std::find_if(before.vms.begin(), before.vms.end(),
                                [&](const VmStatus& s) { return s.name == status.name; });
        if (was == before.vms.end() || !(*was == status)) out.push_back(PublishVm{status});
    }
}

Effects Engine::on_libvirt(const LibvirtConnection& ev, Now) {
    if (ev.connected == libvirt_connected_) return {};
    libvirt_connected_ = ev.connected;
    // A deadline that passes meanwhile comes due once the reconnect's snapshot has told the truth.
    if (!ev.connected)
        for (auto& m : machines_) m->on_disconnected();
    if (ev.connected) return {info("connected to libvirt (" + config_.supervisor.libvirt_uri + ")")};
    return {warning("lost libvirt (" + config_.supervisor.libvirt_uri + "): " + ev.error)};
}

Effects Engine::on_tick(Now now) {
    Effects out;
    for (auto& m : machines_) append(out, m->on_tick(now));
    append(out, governor_->on_tick(machines_, now));
    append(out, guests_->on_tick(now));
    append(out, hold_tick(now));
    return out;
}

}  // namespace hotseat
