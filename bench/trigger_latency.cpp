// Trigger latency (DESIGN §8): a monitor-plug uevent → the VM's State leaving "off", as a D-Bus
// client sees it, against two baselines measured in the same run on the same emulated machine:
//   bare   — a bare libudev monitor receiving the same uevent (the floor);
//   virsh  — the usual `udev RUN+= virsh start` approach: receive, fork/exec virsh, wait.
// Must run under umockdev's preload (scripts/bench does that). Prints one JSON object.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <sdbus-c++/sdbus-c++.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bare_monitor.h"
#include "daemon_process.h"
#include "report.h"
#include "state_watcher.h"
#include "private_bus.h"
#include "process.h"
#include "testbed.h"

namespace {

using Clock = std::chrono::steady_clock;
using hotseat::test::Testbed;
using hotseat::bench::Stats;
using hotseat::bench::Figure;
using hotseat::bench::Better;
using hotseat::bench::StateWatcher;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

using hotseat::bench::BareMonitor;

Stats measure_bare(Testbed& tb, int n) {
    Stats s{"bare libudev monitor", "us", {}};
    BareMonitor mon("drm");
    for (int i = 0; i < n; ++i) {
        tb.set_connector_status("HDMI-A-1", i % 2 ? "disconnected" : "connected");
        auto t0 = Clock::now();
        tb.send_hotplug();
        mon.receive_one();
        s.samples.push_back(micros(Clock::now() - t0));
    }
    return s;
}

Stats measure_virsh(Testbed& tb, const std::string& uri, int n) {
    Stats s{"udev RUN+= virsh start", "us", {}};
    BareMonitor mon("drm");
    for (int i = 0; i < n; ++i) {
        tb.set_connector_status("HDMI-A-1", i % 2 ? "disconnected" : "connected");
        auto t0 = Clock::now();
        tb.send_hotplug();
        mon.receive_one();
        int status = 0;
        hotseat::test::run_capture({"virsh", "-q", "-c", uri, "start", "arch-desktop"}, &status,
                                   {{"LD_PRELOAD", ""}});
        if (status != 0) throw std::runtime_error("virsh start failed");
        s.samples.push_back(micros(Clock::now() - t0));
    }
    return s;
}

Stats measure_hotseat(Testbed& tb, const std::string& uri, int n) {
    Stats s{"hotseatd: uevent -> State seen on D-Bus", "us", {}};
    hotseat::test::TempDir dir;
    hotseat::test::PrivateBus bus;
    std::string config = dir.file("hotseat.toml");
    hotseat::test::write_file(config,
                              "[supervisor]\nlibvirt_uri = \"" + uri + "\"\ndebounce_ms = 0\n"
                              "[[vm]]\nname = \"arch-desktop\"\n"
                              "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n"
                              "[[rule]]\nname = \"unplug\"\non = \"monitor.disconnected\"\naction = \"stop\"\nvm = \"arch-desktop\"\n");
    hotseat::test::DaemonProcess daemon({config, tb.root(), bus.address(), dir.path(), {}});
    if (!daemon.wait_ready()) throw std::runtime_error("hotseatd not ready:\n" + daemon.log());
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().c_str(), 1);
    StateWatcher watcher("/org/hotseat/Supervisor1/vm/arch_2ddesktop");
    for (int i = 0; i < n; ++i) {
        tb.set_connector_status("HDMI-A-1", "connected");
        auto t0 = Clock::now();
        tb.send_hotplug();
        auto t1 = watcher.wait_for([](const std::string& st) { return st != "off"; });
        s.samples.push_back(micros(t1 - t0));
        watcher.wait_for([](const std::string& st) { return st == "running"; });
        tb.set_connector_status("HDMI-A-1", "disconnected");
        tb.send_hotplug();
        watcher.wait_for([](const std::string& st) { return st == "off"; });
    }
    return s;
}

}  // namespace

// Usage: bench_trigger_latency [--json FILE] [--quick] [N]
int main(int argc, char** argv) {
    auto args = hotseat::bench::parse_args(argc, argv, 200, 10);
    int n = args.quick ? 50 : args.n;
    try {
        Testbed tb;
        tb.add_intel_igpu();
        const std::string uri = "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml";
        auto bare = measure_bare(tb, n);
        auto virsh = measure_virsh(tb, uri, std::max(10, n / 10));
        tb.set_connector_status("HDMI-A-1", "disconnected");
        auto hotseat = measure_hotseat(tb, uri, n);
        std::vector<Figure> figures{
            hotseat::bench::ratio_figure("trigger p99 vs bare libudev monitor p99 (umockdev)", hotseat.at(0.99),
                                         bare.at(0.99), Better::Lower, 2.0, "us"),
            hotseat::bench::ratio_figure("virsh-per-event p50 / hotseat p50 (umockdev)", virsh.median(),
                                         hotseat.median(), Better::Higher, 50.0, "us"),
        };
        return hotseat::bench::finish(args, "trigger_latency", {bare, virsh, hotseat}, figures);
    } catch (const std::exception& e) {
        std::cerr << "bench_trigger_latency: " << e.what() << "\n";
        return 1;
    }
}
