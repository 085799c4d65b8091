// Trigger latency on real netlink (DESIGN §8): the same three measurements as trigger_latency,
// but the uevent is a real udevd-style netlink message (netlink_uevents.h) in a private network
// namespace instead of umockdev's emulated one, so that umockdev's emission cost (a GLib call
// writing to every listener's socket, which dominated both sides there) is out of both. The
// trigger is a USB device plug (device.added rule; hotseatd takes the properties from the
// uevent, no sysfs read), since sd-device refuses a /sys that is not sysfs and this machine's
// real /sys has no DRM card to plug a monitor into.
//   bare     — a bare libudev monitor receiving the uevent (the floor);
//   virsh    — the usual `udev RUN+= virsh start`: receive, fork/exec virsh, wait;
//   hotseatd — uevent sent → the VM's State leaving "off" as a D-Bus client sees it.
// Needs root (namespaces). No umockdev.

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

#include "bare_monitor.h"
#include "daemon_process.h"
#include "netlink_uevents.h"
#include "private_bus.h"
#include "process.h"
#include "report.h"
#include "state_watcher.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using namespace hotseat::test;
using hotseat::bench::Better;
using hotseat::bench::Stats;

const std::string kUri = "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml";

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

std::string usb_uevent(const char* action, int seq) {
    return hotseat::bench::udev_message(
        "usb", "usb_device",
        {std::string("ACTION=") + action, "DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-7", "SUBSYSTEM=usb",
         "DEVTYPE=usb_device", "ID_VENDOR_ID=feed", "ID_MODEL_ID=beef", "SEQNUM=" + std::to_string(seq)});
}

using hotseat::bench::BareMonitor;

Stats measure_bare(hotseat::bench::Sender& sender, int n, bool with_virsh) {
    Stats s{with_virsh ? "udev RUN+= virsh start (netlink)" : "bare libudev monitor (netlink)", "us", {}};
    BareMonitor mon("usb");
    for (int i = 0; i < n; ++i) {
        auto message = usb_uevent("add", 100 + i);
        auto t0 = Clock::now();
        sender.send(message);
        mon.receive_one();
        if (with_virsh) {
            int status = 0;
            run_capture({"virsh", "-q", "-c", kUri, "start", "arch-desktop"}, &status);
            if (status != 0) throw std::runtime_error("virsh start failed");
        }
        s.samples.push_back(micros(Clock::now() - t0));
    }
    return s;
}

Stats measure_hotseat(hotseat::bench::Sender& sender, int n) {
    Stats s{"hotseatd: uevent -> State seen on D-Bus (netlink)", "us", {}};
    TempDir dir;
    PrivateBus bus;
    write_file(dir.file("hotseat.toml"),
               "[supervisor]\nlibvirt_uri = \"" + kUri + "\"\ndebounce_ms = 0\n[[vm]]\nname = \"arch-desktop\"\n"
               "[[rule]]\nname = \"in\"\non = \"device.added\"\nmatch = { ID_VENDOR_ID = \"feed\" }\n"
               "action = \"start\"\nvm = \"arch-desktop\"\n"
               "[[rule]]\nname = \"out\"\non = \"device.removed\"\nmatch = { ID_VENDOR_ID = \"feed\" }\n"
               "action = \"stop\"\nvm = \"arch-desktop\"\n");
    // As deployed: no --verbose (DaemonProcess always adds it).
    NotifySocket notify(dir.file("notify.sock"));
    Process hotseatd({{HOTSEATD_PATH, "--config", dir.file("hotseat.toml")},
                      {{"DBUS_SYSTEM_BUS_ADDRESS", bus.address()}, {"NOTIFY_SOCKET", notify.path()}},
                      dir.file("hotseatd.log")});
    if (!notify.wait_for("READY=1", 15s)) throw std::runtime_error("hotseatd not ready:\n" + hotseatd.output());
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().c_str(), 1);
    hotseat::bench::StateWatcher watcher("/org/hotseat/Supervisor1/vm/arch_2ddesktop");
    for (int i = 0; i < n; ++i) {
        auto add = usb_uevent("add", 10000 + 2 * i), remove = usb_uevent("remove", 10001 + 2 * i);
        auto t0 = Clock::now();
        sender.send(add);
        auto t1 = watcher.wait_for([](const std::string& st) { return st != "off"; });
        s.samples.push_back(micros(t1 - t0));
        watcher.wait_for([](const std::string& st) { return st == "running"; });
        sender.send(remove);
        watcher.wait_for([](const std::string& st) { return st == "off"; });
    }
    return s;
}

}  // namespace

// Usage: bench_trigger_netlink [--json FILE] [--quick] [N]
int main(int argc, char** argv) {
    auto args = hotseat::bench::parse_args(argc, argv, 200, 10);
    const int n = args.quick ? 50 : args.n;
    try {
        hotseat::bench::enter_private_namespaces();
        unsetenv("LD_PRELOAD");
        unsetenv("UMOCKDEV_DIR");
        hotseat::bench::Sender sender;
        auto bare = measure_bare(sender, n, false);
        auto virsh = measure_bare(sender, std::max(10, n / 10), true);
        auto hotseat = measure_hotseat(sender, n);
        std::vector<hotseat::bench::Figure> figures{
            hotseat::bench::ratio_figure("trigger p99 vs bare libudev monitor p99 (netlink)", hotseat.at(0.99),
                                         bare.at(0.99), Better::Lower, 2.0, "us"),
            hotseat::bench::ratio_figure("virsh-per-event p50 / hotseat p50 (netlink)", virsh.median(),
                                         hotseat.median(), Better::Higher, 50.0, "us"),
        };
        return hotseat::bench::finish(args, "trigger_netlink", {bare, virsh, hotseat}, figures);
    } catch (const std::exception& e) {
        std::cerr << "bench_trigger_netlink: " << e.what() << "\n";
        return 1;
    }
}
