#include "core/effect_text.h"

#include "core/keyboard_watch.h"

#include <type_traits>

namespace hotseat {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string joined_devices(const std::vector<std::string>& devices) {
    std::string out;
    for (const auto& d : devices) out += (out.empty() ? "" : ",") + quoted(d);
    return out;
}

std::string usb_effect(const char* op, const std::string& vm, const std::string& syspath, const UsbHostDevice& d) {
    return std::string("usb ") + op + " " + vm + " " + syspath + " " + d.vendor + ":" + d.product + " bus " +
           std::to_string(d.bus) + " dev " + std::to_string(d.device);
}

std::string wall_text(std::uint64_t wall_us, WallTimeText wall_time) {
    return wall_time ? wall_time(wall_us) : std::to_string(wall_us);
}

std::string vm_text(const VmStatus& s, WallTimeText wall_time) {
    std::string out = "vm " + s.name + " " + std::string(to_string(s.state)) + " reason=" + quoted(s.reason);
    if (!s.step.empty()) out += " step=" + quoted(s.step);
    if (!s.last_error.empty()) out += " error=" + quoted(s.last_error);
    if (!s.devices.empty()) out += " devices=" + joined_devices(s.devices);
    if (s.pending_stop.deadline_us != 0)
        out += " pending=" + quoted(s.pending_stop.action + " at " + wall_text(s.pending_stop.deadline_us, wall_time) +
                                    ": " + s.pending_stop.reason);
    if (!s.idle_inhibitor.empty()) out += " inhibitor=" + quoted(s.idle_inhibitor);
    return out;
}

std::string monitors_text(const std::vector<MonitorStatus>& monitors) {
    std::string out;
    for (const auto& m : monitors) out += (out.empty() ? "" : ",") + m.connector + "=" + m.status_text();
    return "monitors " + (out.empty() ? std::string("(none)") : out);
}

std::string keyboards_text(const std::vector<KeyboardStatus>& keyboards) {
    std::string out;
    for (const auto& k : keyboards) out += (out.empty() ? "" : ",") + k.node;
    return "keyboards " + (out.empty() ? std::string("(none)") : out);
}

std::string guest_notice_text(const GuestNotice& notice, WallTimeText wall_time) {
    return std::visit(
        [wall_time](const auto& n) -> std::string {
            using N = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<N, GuestWelcome>) {
                std::string chords;
                for (const auto& keys : n.hotkeys) chords += (chords.empty() ? " hotkeys=" : ",") + chord_text(keys);
                return "hello " + std::to_string(n.protocol) + chords;
            } else if constexpr (std::is_same_v<N, GuestStopPending>)
                return "stop-pending " + n.action + " at " + wall_text(n.deadline_us, wall_time) + " " +
                       quoted(n.reason);
            else if constexpr (std::is_same_v<N, GuestStopCancelled>)
                return "stop-cancelled";
            else
                static_assert(sizeof(N) == 0, "a guest notice without words: add it here");
        },
        notice);
}

}  // namespace

std::string gpus_text(const std::vector<GpuStatus>& gpus) {
    std::string out;
    for (const auto& g : gpus)
        out += (out.empty() ? "" : ",") + g.address + "=" + (g.driver.empty() ? "none" : g.driver) +
               (g.holder.empty() ? "" : "@" + g.holder);
    return out.empty() ? "(none)" : out;
}

std::string chord_text(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : "+") + k;
    return out;
}

std::string effect_text(const Effect& effect, WallTimeText wall_time) {
    return std::visit(
        [wall_time](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, StartDomain>)
                return "libvirt start " + e.vm;
            else if constexpr (std::is_same_v<T, ShutdownDomain>)
                return "libvirt shutdown " + e.vm + (e.acpi_only ? " acpi" : "");
            else if constexpr (std::is_same_v<T, HibernateDomain>)
                return "libvirt hibernate " + e.vm;
            else if constexpr (std::is_same_v<T, WakeDomain>)
                return "libvirt wakeup " + e.vm;
            else if constexpr (std::is_same_v<T, DestroyDomain>)
                return "libvirt destroy " + e.vm;
            else if constexpr (std::is_same_v<T, PublishVm>)
                return vm_text(e.status, wall_time);
            else if constexpr (std::is_same_v<T, PublishMonitors>)
                return monitors_text(e.monitors);
            else if constexpr (std::is_same_v<T, PublishKeyboards>)
                return keyboards_text(e.keyboards);
            else if constexpr (std::is_same_v<T, PublishLibvirtConnected>)
                return std::string("libvirt-connected ") + (e.connected ? "yes" : "no");
            else if constexpr (std::is_same_v<T, AttachUsb>)
                return usb_effect("attach", e.vm, e.syspath, e.device);
            else if constexpr (std::is_same_v<T, DetachUsb>)
                return usb_effect("detach", e.vm, e.syspath, e.device);
            else if constexpr (std::is_same_v<T, SetCpuWeight>)
                return "libvirt cpu-weight " + e.vm + " " + std::to_string(e.weight);
            else if constexpr (std::is_same_v<T, SetVcpuQuota>)
                return "libvirt vcpu-quota " + e.vm + " " + std::to_string(e.quota_us) + "/" +
                       std::to_string(e.period_us);
            else if constexpr (std::is_same_v<T, SetBalloon>)
                return "libvirt balloon " + e.vm + " " + std::to_string(e.percent) + "%";
            else if constexpr (std::is_same_v<T, SuspendDomain>)
                return "libvirt suspend " + e.vm;
            else if constexpr (std::is_same_v<T, ResumeDomain>)
                return "libvirt resume " + e.vm;
            else if constexpr (std::is_same_v<T, WatchPressure>)
                return std::string("watch-pressure ") + (e.on ? "on" : "off");
            else if constexpr (std::is_same_v<T, RuleFired>)
                return "fired " + e.rule + " on " + quoted(e.event) + ": " + e.action + " " + e.vm;
            else if constexpr (std::is_same_v<T, FindGuestChannel>)
                return "guest find-channel " + e.vm;
            else if constexpr (std::is_same_v<T, OpenGuestChannel>)
                return "guest open " + e.vm + " " + e.path;
            else if constexpr (std::is_same_v<T, CloseGuestChannel>)
                return "guest close " + e.vm;
            else if constexpr (std::is_same_v<T, SampleCpu>)
                return "libvirt sample-cpu " + e.vm;
            else if constexpr (std::is_same_v<T, PublishGuestHelper>)
                return "guest-helper " + e.vm + " " + quoted(e.version);
            else if constexpr (std::is_same_v<T, SendGuest>)
                return "guest send " + e.vm + " " + guest_notice_text(e.notice, wall_time);
            else if constexpr (std::is_same_v<T, PublishGpus>)
                return "gpus " + gpus_text(e.gpus);
            else if constexpr (std::is_same_v<T, ReadReleaseRecord>)
                return "hook read-release " + e.vm;
            else if constexpr (std::is_same_v<T, WatchKeyboards>)
                return "watch-keyboards " + describe(e);
            else if constexpr (std::is_same_v<T, Log>)
                return "log: " + e.message;
            else
                static_assert(sizeof(T) == 0,
                              "an effect without words: add it here and to tests/unit/engine/README.md");
        },
        effect);
}

}  // namespace hotseat
