// D-Bus property reads (DESIGN §8): Properties.GetAll on a VM object of hotseatd against the bus
// daemon's own Properties.GetAll (org.freedesktop.DBus on /org/freedesktop/DBus: Features,
// Interfaces), from the same client connection, interleaved call by call so that the machine's
// load hits both alike. Both are a round trip through dbus-daemon; hotseatd's adds the hop to
// hotseatd and back. Target: p50 and p99 within 1.5x. Runs under umockdev's preload.
#include <chrono>
#include <iostream>
#include <sdbus-c++/sdbus-c++.h>
#include <string>

#include "daemon_process.h"
#include "dbus/sdbus_compat.h"
#include "private_bus.h"
#include "process.h"
#include "report.h"
#include "testbed.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace hotseat::test;
using hotseat::bench::Better;
using hotseat::bench::Stats;

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double time_get_all(sdbus::IProxy& proxy, const std::string& interface) {
    std::map<std::string, sdbus::Variant> props;
    auto t0 = Clock::now();
    proxy.callMethod("GetAll").onInterface("org.freedesktop.DBus.Properties").withArguments(interface).storeResultsTo(props);
    double us = micros(Clock::now() - t0);
    if (props.empty()) throw std::runtime_error("GetAll of " + interface + " returned nothing");
    return us;
}

}  // namespace

// Usage: bench_dbus_getall [--json FILE] [--quick] [N]
int main(int argc, char** argv) {
    auto args = hotseat::bench::parse_args(argc, argv, 2000, 50);
    const int n = args.quick ? 300 : args.n;
    try {
        Testbed tb;
        tb.add_intel_igpu();
        TempDir dir;
        PrivateBus bus;
        write_file(dir.file("hotseat.toml"),
                   "[supervisor]\nlibvirt_uri = \"test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml\"\n"
                   "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n"
                   "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n");
        DaemonProcess daemon({dir.file("hotseat.toml"), tb.root(), bus.address(), dir.path(), {}});
        if (!daemon.wait_ready()) throw std::runtime_error("hotseatd not ready:\n" + daemon.log());
        setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address().c_str(), 1);
        auto conn = sdbus::createSystemBusConnection();
        auto vm = hotseat::dbus::sdbus_compat::create_proxy(*conn, "org.hotseat.Supervisor1",
                                                            "/org/hotseat/Supervisor1/vm/arch_2ddesktop");
        auto bus_daemon =
            hotseat::dbus::sdbus_compat::create_proxy(*conn, "org.freedesktop.DBus", "/org/freedesktop/DBus");
        Stats ours{"GetAll on a hotseatd VM object", "us", {}};
        Stats floor{"GetAll on the bus daemon (org.freedesktop.DBus)", "us", {}};
        for (int i = 0; i < 20; ++i) {  // warm-up: connections, caches
            time_get_all(*vm, "org.hotseat.Supervisor1.VM");
            time_get_all(*bus_daemon, "org.freedesktop.DBus");
        }
        for (int i = 0; i < n; ++i) {
            ours.samples.push_back(time_get_all(*vm, "org.hotseat.Supervisor1.VM"));
            floor.samples.push_back(time_get_all(*bus_daemon, "org.freedesktop.DBus"));
        }
        auto p50 = hotseat::bench::ratio_figure("GetAll p50: hotseatd VM / bus daemon", ours.median(), floor.median(),
                                                Better::Lower, 1.5, "us");
        auto p99 = hotseat::bench::ratio_figure("GetAll p99: hotseatd VM / bus daemon", ours.at(0.99), floor.at(0.99),
                                                Better::Lower, 1.5, "us");
        p50.note = "same client connection, interleaved calls";
        return hotseat::bench::finish(args, "dbus_getall", {ours, floor}, {p50, p99});
    } catch (const std::exception& e) {
        std::cerr << "bench_dbus_getall: " << e.what() << "\n";
        return 1;
    }
}
