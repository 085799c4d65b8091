// Uevent storm (docs/design.md "Performance targets"): 100 000 uevents on real netlink multicast, as udevd
// sends them (group 2, "libudev" header with libudev's filter hashes), to a hotseatd in a private network
// namespace (uevent sockets are per netns: nothing reaches the host, nothing from the host gets in) and a
// private mount namespace whose /run/udev/control exists (libudev listens to udev's group only
// when udevd seems to run). No umockdev here: real sockets, real kernel queueing, real ENOBUFS.
// (umockdev cannot be combined with it: its preload replaces uevent sockets, and sd-device
// refuses a /sys that is not sysfs, so a bind-mounted testbed tree is no way out.) hotseatd
// therefore sees this machine's real /sys, which has no DRM card: every card hotplug below is a
// re-read that finds nothing, every USB interface event is classified and ignored.
//   drain:    the burst at full speed while hotseatd reads: from the first send until hotseatd's
//             socket queue is empty (/proc/PID/net/netlink Rmem), uevents read per second.
//             Target: at least 0.8x a bare libudev monitor draining the same burst (the absolute
//             rate is shown too: it depends on the machine).
//   overflow: hotseatd stopped (SIGSTOP) while a burst of padded uevents overfills its 128 MiB
//             buffer: after SIGCONT it must see ENOBUFS, re-read every device, publish the same
//             Monitors as before, and live. (What the re-read finds after lost uevents is checked
//             against umockdev in tests/integration/udev, test_device_monitor.cpp.)
// Needs root (unshare, mount).
#include <fcntl.h>
#include <libudev.h>
#include <poll.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "private_bus.h"
#include "process.h"
#include "netlink_uevents.h"
#include "report.h"
#include "service.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using namespace hotseat::test;
using hotseat::bench::Better;
using hotseat::bench::Sender;
using hotseat::bench::Stats;
using hotseat::bench::udev_message;
using hotseat::bench::udev_socket_of;

// The floor: a bare libudev monitor (same source, filters and buffer as hotseatd's) in a child
// process that receives and drops every uevent, until killed.
pid_t start_bare_monitor() {
    pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child > 0) return child;
    udev* u = udev_new();
    udev_monitor* mon = udev_monitor_new_from_netlink(u, "udev");
    for (const char* subsystem : {"drm", "usb", "input"})
        udev_monitor_filter_add_match_subsystem_devtype(mon, subsystem, nullptr);
    udev_monitor_enable_receiving(mon);
    udev_monitor_set_receive_buffer_size(mon, 128 * 1024 * 1024);
    ::write(STDOUT_FILENO, "", 0);
    for (;;) {
        pollfd p{udev_monitor_get_fd(mon), POLLIN, 0};
        ::poll(&p, 1, -1);
        while (udev_device* d = udev_monitor_receive_device(mon)) udev_device_unref(d);
    }
}

// From the first send until `pid`'s uevent queue is empty: uevents read per second.
double drain_rate(Sender& sender, const std::vector<std::string>& burst, pid_t pid, double* send_rate, long* dropped) {
    const long drops_before = udev_socket_of(pid).drops;
    auto t0 = Clock::now();
    for (const auto& m : burst) sender.send(m);
    auto sent = Clock::now();
    if (!wait_until([&] { return udev_socket_of(pid).rmem == 0; }, 120s))
        throw std::runtime_error("the uevent queue was not drained");
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    *dropped = udev_socket_of(pid).drops - drops_before;
    *send_rate = static_cast<double>(burst.size()) / std::chrono::duration<double>(sent - t0).count();
    return (static_cast<double>(burst.size()) - static_cast<double>(*dropped)) / seconds;
}

std::string monitors(const std::string& bus) { return manager_property(bus, "Monitors"); }

}  // namespace

// Usage: bench_uevent_storm [--json FILE] [--quick] [N]   (uevents per burst, default 100000)
int main(int argc, char** argv) {
    using hotseat::bench::Args;
    using hotseat::bench::Report;
    return hotseat::bench::run(argc, argv, "uevent_storm", 100000, 1000, [](const Args& args) -> Report {
        const int n = args.quick ? 20000 : args.n;
        hotseat::bench::enter_private_namespaces();
        unsetenv("LD_PRELOAD");  // children: no umockdev
        unsetenv("UMOCKDEV_DIR");
        const std::string card = "/devices/pci0000:00/0000:00:02.0/drm/card0";
        Sender sender;
        std::vector<std::string> burst;
        for (int i = 0; i < n; ++i) {
            const std::string seq = "SEQNUM=" + std::to_string(1000 + i);
            if (i % 2 == 0)
                burst.push_back(udev_message("drm", "drm_minor",
                                             {"ACTION=change", "DEVPATH=" + card, "SUBSYSTEM=drm", "DEVTYPE=drm_minor",
                                              "HOTPLUG=1", "DEVNAME=/dev/dri/card0", seq}));
            else
                burst.push_back(udev_message(
                    "usb", "usb_interface",
                    {"ACTION=add", "DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-9/1-9:1." + std::to_string(i % 8),
                     "SUBSYSTEM=usb", "DEVTYPE=usb_interface", seq}));
        }

        // The floor first, alone on the machine's share of CPU.
        double bare_send = 0, bare_rate = 0;
        long bare_drops = 0;
        {
            pid_t bare = start_bare_monitor();
            if (!wait_until(
                    [&] {
                        return udev_socket_of(bare).rmem == 0 &&
                               ::access(("/proc/" + std::to_string(bare) + "/net/netlink").c_str(), R_OK) == 0;
                    },
                    5s))
                throw std::runtime_error("bare monitor did not start");
            // The child has subscribed once its socket shows up with the udev group.
            if (!wait_until(
                    [&] {
                        std::ifstream in("/proc/" + std::to_string(bare) + "/net/netlink");
                        std::string all((std::istreambuf_iterator<char>(in)), {});
                        return all.find("00000002") != std::string::npos;
                    },
                    5s))
                throw std::runtime_error("bare monitor did not subscribe");
            bare_rate = drain_rate(sender, burst, bare, &bare_send, &bare_drops);
            ::kill(bare, SIGKILL);
            ::waitpid(bare, nullptr, 0);
        }
        TempDir dir;
        PrivateBus bus;
        write_file(
            dir.file("hotseat.toml"),
            "[supervisor]\nlibvirt_uri = \"test://" HOTSEAT_SOURCE_DIR
            "/tests/data/libvirt/node.xml\"\n"
            "[[vm]]\nname = \"arch-desktop\"\n"
            "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n");
        // As deployed: without --verbose (a debug line per ignored uevent would measure the log file).
        auto hotseatd = hotseat::bench::start_hotseatd(dir.file("hotseat.toml"), bus.address(), dir.path());
        const pid_t pid = hotseatd->pid();
        const std::string before = monitors(bus.address());

        // Drain: hotseatd reading while the burst goes out.
        double send = 0;
        long drops = 0;
        const double ours = drain_rate(sender, burst, pid, &send, &drops);
        Stats rate{"hotseatd: uevents/s read", "/s", {ours}};
        Stats floor{"bare libudev monitor: uevents/s read", "/s", {bare_rate}};
        Stats send_rate{"sender: uevents/s sent (to hotseatd)", "/s", {send}};
        if (!hotseatd->running()) throw std::runtime_error("hotseatd died in the storm:\n" + hotseatd->output());

        // Overflow: stopped reader, padded events, a monitor plugged behind its back.
        const std::string pad = "PAD=" + std::string(3000, 'x');
        ::kill(pid, SIGSTOP);
        // Always 100 000 (or more): fewer padded uevents fit in the 128 MiB (256 MiB as the
        // kernel counts) buffer without an overflow.
        const int overflow_n = std::max(n, 100000);
        for (int i = 0; i < overflow_n; ++i)
            sender.send(udev_message("drm", "drm_minor",
                                     {"ACTION=change", "DEVPATH=" + card, "SUBSYSTEM=drm", "DEVTYPE=drm_minor",
                                      "HOTPLUG=1", pad, "SEQNUM=" + std::to_string(500000 + i)}));
        const long overflow_drops = udev_socket_of(pid).drops - drops;
        auto o0 = Clock::now();
        ::kill(pid, SIGCONT);
        if (!wait_until([&] { return udev_socket_of(pid).rmem == 0; }, 120s))
            throw std::runtime_error("hotseatd did not drain after the overflow");
        const double overflow_s = std::chrono::duration<double>(Clock::now() - o0).count();
        const bool alive = hotseatd->running();
        const bool resynced = hotseatd->output().find("overflowed; re-reading every device") != std::string::npos;
        const std::string after = monitors(bus.address());
        const bool correct = !after.empty() && after == before;
        std::cerr << "storm: " << n << " uevents, " << drops << " dropped while hotseatd read, " << bare_drops
                  << " while the bare monitor read; "
                  << "overflow burst: " << overflow_drops << " dropped, drained in " << overflow_s << " s, hotseatd "
                  << (alive ? "alive" : "DEAD") << ", re-read " << (resynced ? "yes" : "NO") << ", Monitors before "
                  << before << " after " << after << "\n";

        auto drain = hotseat::bench::info_figure("uevent drain rate", ours, bare_rate, "/s");
        drain.note = std::to_string(n) + " uevents on real netlink; baseline: a bare libudev monitor; " +
                     std::to_string(drops) + " dropped by the kernel while hotseatd read";
        auto relative = hotseat::bench::ratio_figure("uevent drain: hotseatd / bare libudev monitor", ours, bare_rate,
                                                     Better::Higher, 0.8, "/s");
        auto overflow = hotseat::bench::absolute_figure("overflow: ENOBUFS seen, re-read, state correct",
                                                        alive && resynced && correct && overflow_drops > 0 ? 1 : 0, 1,
                                                        Better::Higher, 1, "ok");
        overflow.note = std::to_string(overflow_drops) + " of " + std::to_string(overflow_n) +
                        " padded uevents dropped; " + "Monitors after: " + after;
        return {{rate, floor, send_rate}, {drain, relative, overflow}};
    });
}
