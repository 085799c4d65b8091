#include "daemon/daemon.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstring>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

#include "daemon/release_record_reader.h"
#include "core/effect_text.h"
#include "core/rules.h"
#include "dbus/bus_service.h"
#include "guest_channel/channels.h"
#include "input/keyboard_watcher.h"
#include "libvirt/hypervisor.h"
#include "log.h"
#include "pressure/pressure_monitor.h"
#include "udev/device_monitor.h"
#include "udev/gpu_watcher.h"

namespace hotseat {
namespace {

constexpr std::uint64_t kReadyTimeoutUs = 5'000'000;

using util::check;

log::Level to_log_level(Log::Level level) {
    switch (level) {
        case Log::Level::Debug: return log::Level::Debug;
        case Log::Level::Info: return log::Level::Info;
        case Log::Level::Warning: return log::Level::Warning;
        case Log::Level::Error: return log::Level::Error;
    }
    return log::Level::Info;
}

std::vector<dbus::KeyboardInfo> to_bus(const std::vector<KeyboardStatus>& keyboards) {
    std::vector<dbus::KeyboardInfo> out;
    for (const auto& k : keyboards) out.push_back(dbus::KeyboardInfo{k.node, k.name});
    return out;
}

template <typename T, typename... Types>
constexpr bool kOneOf = (std::is_same_v<T, Types> || ...);
template <typename T, typename Variant>
constexpr bool kAlternativeOf = false;
template <typename T, typename... Alternatives>
constexpr bool kAlternativeOf<T, std::variant<Alternatives...>> = kOneOf<T, Alternatives...>;
// The effects the libvirt worker thread carries out (Hypervisor::execute): LibvirtEffect's
// alternatives, listed once in include/hotseat/effects.h.
template <typename T>
constexpr bool kLibvirtJob = kAlternativeOf<T, LibvirtEffect>;
// The effects that send something on the bus (a property change or a signal): what the held
// effects of a batch wait for (Daemon::hand_over_held).
template <typename T>
constexpr bool kBusMessage = kOneOf<T, PublishVm, PublishMonitors, PublishLibvirtConnected, PublishGpus,
                                    PublishKeyboards, PublishGuestHelper, RuleFired>;

std::vector<std::string> vm_names(const Config& config) {
    std::vector<std::string> names;
    for (const auto& vm : config.vms) names.push_back(vm.name);
    return names;
}

std::set<std::string> gpu_addresses(const Config& config) {
    std::set<std::string> addresses;
    for (const auto& vm : config.vms) addresses.insert(vm.gpu.begin(), vm.gpu.end());
    return addresses;
}

}  // namespace

Daemon::Daemon(Config config) : engine_(std::move(config)), runtime_dir_(runtime_dir_from_environment()) {
    check(sd_event_new(util::out_ptr(loop_)), "sd_event_new");
}

Daemon::~Daemon() {
    // Order matters: sources first (they point at the adapters), then the adapters. The
    // hypervisor's stop() closes the connection and never touches a domain.
    for (auto* s : {&udev_source_, &gpu_source_, &libvirt_source_, &timer_, &ready_timeout_}) s->reset();
    guests_.reset();
    bus_.reset();
    udev_.reset();
    gpu_watcher_.reset();
    keyboards_.reset();
    pressure_.reset();
    hypervisor_.reset();
    loop_.reset();
}

Now Daemon::now() const {
    std::uint64_t mono = 0;
    sd_event_now(loop_.get(), CLOCK_MONOTONIC, &mono);
    timespec wall{};
    clock_gettime(CLOCK_REALTIME, &wall);
    return Now{static_cast<std::int64_t>(mono / 1000),
               static_cast<std::uint64_t>(wall.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(wall.tv_nsec) / 1000};
}

int Daemon::run() {
    const Config& config = engine_.config();
    setup_signals();
    check(sd_event_set_watchdog(loop_.get(), true), "sd_event_set_watchdog");

    dbus::BusService::Handlers handlers;
    handlers.command = [this](const Command& command) {
        auto reply = engine_.command(command, now());
        execute(std::move(reply.effects));
        reply.effects.clear();
        return reply;
    };
    handlers.reload = [this] { return reload(); };
    handlers.postpone = [this](const PostponeRequest& request) {
        auto reply = engine_.postpone(request, now());
        execute(std::move(reply.effects));
        reply.effects.clear();
        return reply;
    };
    bus_ = std::make_unique<dbus::BusService>(vm_names(config), handlers, config.supervisor.control_group);
    bus_->set_config(config.path, "");
    pressure_ = std::make_unique<pressure::PressureMonitor>(loop_.get(), [this](Event event) { feed(event); });
    pressure_->configure(config.governor);
    // Before the start-up effects: they tell it which keyboards to read (WatchKeyboards).
    keyboards_ = std::make_unique<input::KeyboardWatcher>(loop_.get(), [this](Event event) { feed(event); });
    execute(engine_.initial_effects(now()));

    // udev first: the monitor is listening before the enumeration, so nothing falls in between.
    udev_ = std::make_unique<udev::DeviceMonitor>([this](Event event) { feed(event); });
    udev_->set_property_names(usb_properties_read(config.rules));
    udev_->start();
    check(sd_event_add_io(loop_.get(), util::out_ptr(udev_source_), udev_->fd(), EPOLLIN, on_udev, this),
          "udev source");
    gpu_watcher_ = std::make_unique<udev::GpuWatcher>([this](Event event) { feed(event); });
    gpu_watcher_->start(gpu_addresses(config));
    check(sd_event_add_io(loop_.get(), util::out_ptr(gpu_source_), gpu_watcher_->fd(), EPOLLIN, on_gpu_uevent, this),
          "gpu source");
    keyboards_->start();
    guests_ = std::make_unique<guest_channel::Channels>(loop_.get(), [this](Event event) { feed(event); });

    start_libvirt();
    // The name is taken only once libvirt has answered (see maybe_ready): until then a client
    // would read "off" for a VM that runs and is about to be adopted.
    bus_->attach(loop_.get());
    check(sd_event_add_time_relative(loop_.get(), util::out_ptr(ready_timeout_), CLOCK_MONOTONIC, kReadyTimeoutUs, 0,
                                     on_ready_timeout, this),
          "ready timer");
    log::info("hotseatd ", HOTSEAT_VERSION, " running: ", config.vms.size(), " VMs, ", config.rules.size(),
              " rules, config ", config.path, ", libvirt ", config.supervisor.libvirt_uri);
    maybe_ready();

    int r = sd_event_loop(loop_.get());
    sd_notify(0, "STOPPING=1\nSTATUS=Stopping; virtual machines are left as they are");
    // Held signals and log lines still go out: they tell of what already happened. Held libvirt
    // jobs do not: a stopping daemon starts and stops nothing.
    for (const auto& effect : std::exchange(for_later_, {})) execute_one(effect);
    bus_->flush();
    if (r < 0) {
        log::error("event loop failed: ", std::strerror(-r));
        return 1;
    }
    return r;
}

void Daemon::setup_signals() {
    // A peer that went away must be an error to the writer, never the end of the daemon: libvirt's
    // client writes its socket with write(2) and asks its users to ignore SIGPIPE (a libvirtd that
    // dies mid-call), and the log goes to whatever stderr is. systemd's IgnoreSIGPIPE= (on by
    // default) covers the unit, not a hotseatd started any other way.
    ::signal(SIGPIPE, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, sig);
    check(-pthread_sigmask(SIG_BLOCK, &mask, nullptr), "sigprocmask");
    for (int sig : {SIGTERM, SIGINT, SIGHUP})
        check(sd_event_add_signal(loop_.get(), nullptr, sig, on_signal, this), "signal source");
}

void Daemon::start_libvirt() {
    hypervisor_ = new_hypervisor(engine_.config(), libvirt_source_);
    snapshots_pending_ = engine_.config().vms.size();
}

std::unique_ptr<libvirt::Hypervisor> Daemon::new_hypervisor(const Config& config, util::EventSource& source) {
    auto hypervisor = std::make_unique<libvirt::Hypervisor>(config.supervisor.libvirt_uri, vm_names(config));
    hypervisor->start();
    check(sd_event_add_io(loop_.get(), util::out_ptr(source), hypervisor->fd(), EPOLLIN, on_libvirt, this),
          "libvirt source");
    return hypervisor;
}

// The new adapter is started before the old one goes, so no effect ever finds none. The old one
// is stopped on a thread of its own: its worker may be inside a libvirt call that cannot be
// interrupted (a start waits for QEMU and the hooks, a dead daemon for a timeout), and joining
// it here would hold the bus for that long. What it still reports is dropped: the engine is told
// that connection is gone and adopts what the new one reads.
void Daemon::switch_libvirt(std::unique_ptr<libvirt::Hypervisor> next, util::EventSource next_source) {
    libvirt_source_.reset();
    std::thread([old = std::move(hypervisor_)]() mutable { old.reset(); }).detach();
    hypervisor_ = std::move(next);
    libvirt_source_ = std::move(next_source);
}

void Daemon::feed(const Event& event) {
    if (!ready_sent_) {
        if (std::holds_alternative<LibvirtConnection>(event) && !std::get<LibvirtConnection>(event).connected)
            libvirt_answered_ = true;
        if (std::holds_alternative<DomainSnapshot>(event) && snapshots_pending_ > 0 && --snapshots_pending_ == 0)
            libvirt_answered_ = true;
    }
    execute(engine_.handle(event, now()));
    maybe_ready();
}

// Effects run in the engine's order, with two exceptions that keep a trigger's way to its client
// clear (docs/design.md, "Tell first, then work"): what only tells (a RuleFired signal, a log line)
// waits until the bus daemon has passed on the batch's property changes, and the work handed to
// other threads (libvirt jobs, whose worker wakes at once and competes for the CPU) waits until it
// has passed on those too (BusService::after_delivered). Each kind keeps its order; each adapter
// receives its own effects in order, and none depends on another's having run first.
void Daemon::execute(Effects effects) {
    bool told_bus = false;
    auto run = [this, &told_bus](Effects& batch) {
        for (const auto& effect : batch) {
            if (goes_to_libvirt(effect) || tells_after(effect)) continue;
            execute_one(effect);
            told_bus = told_bus || tells_bus(effect);
        }
        for (auto& effect : batch) {
            if (goes_to_libvirt(effect))
                for_libvirt_.push_back(std::move(effect));
            else if (tells_after(effect))
                for_later_.push_back(std::move(effect));
        }
    };
    run(effects);
    // Events an effect produced on the spot (a release record read) go in once this batch is out.
    while (!deferred_.empty()) {
        Event event = std::move(deferred_.front());
        deferred_.pop_front();
        auto more = engine_.handle(event, now());
        run(more);
    }
    hand_over_held(told_bus);
    rearm_timer();
}

// One wait at a time: what arrives meanwhile goes with it, in order. A batch that told the bus
// nothing (a CPU sample of the idle clock, say) has nothing to wait for, and costs no round trip.
void Daemon::hand_over_held(bool told_bus) {
    if (waiting_for_bus_ || (for_later_.empty() && for_libvirt_.empty())) return;
    if (!bus_ || !told_bus) return release_held();
    wait_for_bus();
}

void Daemon::wait_for_bus() {
    log::debug("holding ", for_later_.size(), " signal(s) and log line(s) and ", for_libvirt_.size(),
               " libvirt job(s) until the bus daemon has passed on what went before");
    waiting_for_bus_ = true;
    bus_->after_delivered(
        [this] {
            waiting_for_bus_ = false;
            release_held();
        },
        kBusDaemonWait);
}

// The held signals and log lines first; the libvirt jobs once the bus daemon has passed those
// signals on too. Jobs that already waited a round for their batch's signals go now, whatever
// signals joined since: a rule that keeps firing must not hold a start back round after round.
void Daemon::release_held() {
    bool told_bus = false;
    for (const auto& effect : std::exchange(for_later_, {})) {
        execute_one(effect);
        told_bus = told_bus || tells_bus(effect);
    }
    const auto due = for_libvirt_.begin() + static_cast<std::ptrdiff_t>(std::exchange(libvirt_due_, 0));
    for (auto it = for_libvirt_.begin(); it != due; ++it) execute_one(*it);
    for_libvirt_.erase(for_libvirt_.begin(), due);
    if (for_libvirt_.empty()) return;
    if (bus_ && told_bus) {
        libvirt_due_ = for_libvirt_.size();
        return wait_for_bus();
    }
    for (const auto& effect : std::exchange(for_libvirt_, {})) execute_one(effect);
}

bool Daemon::goes_to_libvirt(const Effect& effect) {
    return std::visit([](const auto& e) { return kLibvirtJob<std::decay_t<decltype(e)>>; }, effect);
}

bool Daemon::tells_after(const Effect& effect) {
    return std::holds_alternative<RuleFired>(effect) || std::holds_alternative<Log>(effect);
}

bool Daemon::tells_bus(const Effect& effect) {
    return std::visit([](const auto& e) { return kBusMessage<std::decay_t<decltype(e)>>; }, effect);
}

void Daemon::execute_one(const Effect& effect) {
    // Every effect carried out, in the words the scenario files use (core/effect_text.h): the
    // journal then shows what hotseatd did, and tests can tell what it did not do.
    if (!std::holds_alternative<Log>(effect) && log::enabled(log::Level::Debug))
        log::debug("effect: ", effect_text(effect));
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (kLibvirtJob<T>)
                hypervisor_->execute(e);
            else if constexpr (std::is_same_v<T, WatchPressure>)
                e.on ? pressure_->arm() : pressure_->disarm();
            else if constexpr (kBusMessage<T>) {
                if constexpr (std::is_same_v<T, PublishKeyboards>)
                    bus_->publish_keyboards(to_bus(e.keyboards));
                else if constexpr (std::is_same_v<T, RuleFired>)
                    bus_->emit(e);
                else if constexpr (std::is_same_v<T, PublishGuestHelper>)
                    bus_->publish_guest_helper(e.vm, e.version);
                else
                    bus_->publish(e);  // the Publish* of a property: BusService::publish overloads
            } else if constexpr (kOneOf<T, OpenGuestChannel, CloseGuestChannel, SendGuest>)
                guests_->execute(e);
            else if constexpr (std::is_same_v<T, ReadReleaseRecord>) {
                if (auto record = read_release_record(runtime_dir_, e.vm)) deferred_.push_back(std::move(*record));
            } else if constexpr (std::is_same_v<T, WatchKeyboards>)
                keyboards_->watch(e);
            else if constexpr (std::is_same_v<T, Log>)
                log::write(to_log_level(e.level), e.message);
            else
                static_assert(sizeof(T) == 0, "an effect the daemon does not route");
        },
        effect);
}

void Daemon::rearm_timer() {
    auto deadline = engine_.next_deadline_ms();
    if (!deadline) {
        if (timer_) sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF);
        return;
    }
    std::uint64_t usec = static_cast<std::uint64_t>(*deadline) * 1000;
    if (!timer_) {
        check(sd_event_add_time(loop_.get(), util::out_ptr(timer_), CLOCK_MONOTONIC, usec, 0, on_timer, this),
              "engine timer");
        return;
    }
    sd_event_source_set_time(timer_.get(), usec);
    sd_event_source_set_enabled(timer_.get(), SD_EVENT_ONESHOT);
}

void Daemon::maybe_ready() {
    if (ready_sent_ || !libvirt_answered_ || !bus_) return;
    ready_sent_ = true;
    try {
        bus_->request_name();
    } catch (const std::exception& e) {
        log::error(e.what());
        sd_event_exit(loop_.get(), 1);
        return;
    }
    sd_event_source_set_enabled(ready_timeout_.get(), SD_EVENT_OFF);
    sd_notify(0, "READY=1\nSTATUS=Watching for monitors and keyboards");
    log::debug("READY=1 sent");
}

std::string Daemon::reload() {
    const std::string path = engine_.config().path;
    auto load = load_config_file(path);
    for (const auto& w : load.warnings) log::warning(w.to_string());
    if (!load.config) {
        std::string errors;
        for (const auto& e : load.errors) errors += (errors.empty() ? "" : "\n") + e.to_string();
        log::error("reload of ", path, " rejected; the previous configuration stays in force:\n", errors);
        bus_->set_config(path, errors);
        return errors;
    }
    const std::string old_uri = engine_.config().supervisor.libvirt_uri;
    const bool uri_changed = load.config->supervisor.libvirt_uri != old_uri;
    auto names = vm_names(*load.config);
    std::unique_ptr<libvirt::Hypervisor> next;
    util::EventSource next_source;
    if (uri_changed) {
        try {
            next = new_hypervisor(*load.config, next_source);
        } catch (const std::exception& e) {
            std::string error = "cannot use libvirt_uri " + load.config->supervisor.libvirt_uri + ": " + e.what();
            log::error("reload of ", path, " rejected; the previous configuration stays in force: ", error);
            bus_->set_config(path, error);
            return error;
        }
    }
    bus_->set_control_group(load.config->supervisor.control_group);
    pressure_->configure(load.config->governor);
    auto addresses = gpu_addresses(*load.config);
    // The VM objects first: the engine's reload publishes the new VMs.
    bus_->set_vms(names);
    if (uri_changed) {
        switch_libvirt(std::move(next), std::move(next_source));
        snapshots_pending_ = names.size();  // READY=1, if not sent yet, waits for the new libvirt
    } else {
        hypervisor_->set_domains(names);
    }
    // Before the engine's reload: a device its new rules match on is re-read with their names.
    udev_->set_property_names(usb_properties_read(load.config->rules));
    execute(engine_.reload(std::move(*load.config)));
    gpu_watcher_->watch(std::move(addresses));
    if (uri_changed) feed(LibvirtConnection{false, "libvirt_uri changed from " + old_uri});
    bus_->set_config(path, "");
    return {};
}

int Daemon::on_signal(sd_event_source*, const struct signalfd_siginfo* info, void* self) {
    auto* d = static_cast<Daemon*>(self);
    if (info->ssi_signo == SIGHUP) {
        log::info("SIGHUP: reloading ", d->engine_.config().path);
        sd_notify(0, "RELOADING=1");
        d->reload();
        sd_notify(0, "READY=1");
        return 0;
    }
    log::info("signal ", strsignal(static_cast<int>(info->ssi_signo)),
              ": exiting, virtual machines are left as they are");
    return sd_event_exit(d->loop_.get(), 0);
}

int Daemon::on_udev(sd_event_source*, int, uint32_t, void* self) {
    static_cast<Daemon*>(self)->udev_->process();
    return 0;
}

int Daemon::on_gpu_uevent(sd_event_source*, int, uint32_t, void* self) {
    static_cast<Daemon*>(self)->gpu_watcher_->process();
    return 0;
}

int Daemon::on_libvirt(sd_event_source*, int, uint32_t, void* self) {
    auto* d = static_cast<Daemon*>(self);
    for (const auto& event : d->hypervisor_->drain()) d->feed(event);
    return 0;
}

int Daemon::on_timer(sd_event_source*, uint64_t, void* self) {
    static_cast<Daemon*>(self)->feed(Tick{});
    return 0;
}

int Daemon::on_ready_timeout(sd_event_source*, uint64_t, void* self) {
    auto* d = static_cast<Daemon*>(self);
    log::warning("libvirt has not answered within ", kReadyTimeoutUs / 1'000'000,
                 " s; serving the bus anyway, VM states follow once it does");
    d->libvirt_answered_ = true;
    d->maybe_ready();
    return 0;
}

}  // namespace hotseat
