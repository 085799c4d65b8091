// hotseatd's shell: one sd-event loop thread owns the engine and every adapter (udev monitor,
// libvirt results, the bus, signals, the engine's timer). Events go into the engine; the effects
// it returns are executed here, in order. Nothing here decides anything.
#pragma once

#include <systemd/sd-event.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "hotseat/config.h"
#include "hotseat/engine.h"
#include "util/handles.h"

namespace hotseat::udev {
class DeviceMonitor;
class GpuWatcher;
}  // namespace hotseat::udev
namespace hotseat::input {
class KeyboardWatcher;
}
namespace hotseat::libvirt {
class Hypervisor;
}
namespace hotseat::dbus {
class BusService;
}
namespace hotseat::pressure {
class PressureMonitor;
}
namespace hotseat::guest_channel {
class Channels;
}

namespace hotseat {

class Daemon {
public:
    explicit Daemon(Config config);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    // Sets everything up, tells systemd READY=1, runs until SIGTERM/SIGINT. VMs are left as they
    // are on exit. Returns the process exit code; throws on a set-up failure.
    int run();

private:
    void setup_signals();
    void start_libvirt();
    // A started adapter for `config`'s libvirt_uri with the loop watching its results in `source`.
    std::unique_ptr<libvirt::Hypervisor> new_hypervisor(const Config& config, util::EventSource& source);
    void switch_libvirt(std::unique_ptr<libvirt::Hypervisor> next, util::EventSource next_source);
    void feed(const Event& event);
    void execute(Effects effects);
    void execute_one(const Effect& effect);
    // The effects held in for_later_ and for_libvirt_: at once, or once the bus daemon has passed
    // on what the batch told the bus (execute).
    void hand_over_held(bool told_bus);
    void wait_for_bus();
    void release_held();
    static bool goes_to_libvirt(const Effect& effect);  // executed by hypervisor_'s worker
    static bool tells_after(const Effect& effect);      // a RuleFired or a log line: held first
    static bool tells_bus(const Effect& effect);        // a property change or a signal
    void rearm_timer();
    void maybe_ready();
    std::string reload();
    Now now() const;

    static int on_signal(sd_event_source*, const struct signalfd_siginfo* info, void* self);
    static int on_udev(sd_event_source*, int fd, uint32_t revents, void* self);
    static int on_gpu_uevent(sd_event_source*, int fd, uint32_t revents, void* self);
    static int on_libvirt(sd_event_source*, int fd, uint32_t revents, void* self);
    static int on_timer(sd_event_source*, uint64_t usec, void* self);
    static int on_ready_timeout(sd_event_source*, uint64_t usec, void* self);

    Engine engine_;
    util::EventLoop loop_;
    std::unique_ptr<dbus::BusService> bus_;
    std::unique_ptr<udev::DeviceMonitor> udev_;
    std::unique_ptr<udev::GpuWatcher> gpu_watcher_;
    std::unique_ptr<input::KeyboardWatcher> keyboards_;
    std::unique_ptr<libvirt::Hypervisor> hypervisor_;
    std::unique_ptr<pressure::PressureMonitor> pressure_;  // PSI triggers for the governor
    std::unique_ptr<guest_channel::Channels> guests_;
    util::EventSource udev_source_;
    util::EventSource gpu_source_;
    util::EventSource libvirt_source_;
    util::EventSource timer_;
    util::EventSource ready_timeout_;
    // READY=1 waits for libvirt's first answer (so adopted VMs are published as running), but
    // never longer than a few seconds: a dead libvirtd must not keep the bus API away.
    size_t snapshots_pending_ = 0;
    bool libvirt_answered_ = false;
    bool ready_sent_ = false;
    // Where hotseat-hook leaves its release records ($HOTSEAT_RUNTIME_DIR, default /run/hotseat).
    std::string runtime_dir_;
    // Events an effect produced on the spot (a release record read): fed once the effects of
    // the event before are all executed, so that effects stay in the engine's order.
    std::deque<Event> deferred_;
    // Libvirt effects waiting for the bus daemon to pass on the signals of their batch (execute);
    // at most kBusDaemonWait, so a stuck bus daemon delays a start and never stops it.
    static constexpr std::chrono::milliseconds kBusDaemonWait{100};
    std::vector<Effect> for_later_;    // RuleFired and log lines
    std::vector<Effect> for_libvirt_;  // libvirt jobs: after for_later_ has been passed on too
    std::size_t libvirt_due_ = 0;      // the first of for_libvirt_, which go at the next answer
    bool waiting_for_bus_ = false;
};

}  // namespace hotseat
