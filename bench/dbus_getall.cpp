// D-Bus property reads (docs/design.md "Performance targets"): Properties.GetAll on a VM object of hotseatd
// against the same call on bench_baseline_service (baseline_service.c), a minimal sd-bus C service exporting
// the same object, interface and properties. Each runs on a private bus of its own (both own
// org.hotseat.Supervisor1); one client (plain sd-bus) calls them interleaved, call by call, so
// that the machine's load hits both alike. Both calls are the same round trip: client → bus
// daemon → service → bus daemon → client. Target: p50 and p99 within 1.2x. hotseatd runs under
// umockdev's preload (an emulated iGPU: its VM object as on the reference machine); the baseline
// has no use for it.
#include <systemd/sd-bus.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "private_bus.h"
#include "process.h"
#include "report.h"
#include "service.h"
#include "state_watcher.h"
#include "testbed.h"

namespace {

using namespace hotseat::bench;

class Client {
public:
    explicit Client(const std::string& address) {
        if (sd_bus_new(&bus_) < 0 || sd_bus_set_address(bus_, address.c_str()) < 0 ||
            sd_bus_set_bus_client(bus_, 1) < 0 || sd_bus_start(bus_) < 0)
            throw std::runtime_error("cannot connect to " + address);
    }
    ~Client() { sd_bus_flush_close_unref(bus_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // One GetAll of the VM interface, its reply read through: the time taken (µs). *count gets
    // the number of properties.
    double get_all(int* count) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message* reply = nullptr;
        auto t0 = Clock::now();
        int r = sd_bus_call_method(bus_, "org.hotseat.Supervisor1", kVmPath, "org.freedesktop.DBus.Properties",
                                   "GetAll", &error, &reply, "s", "org.hotseat.Supervisor1.VM");
        *count = 0;
        if (r >= 0 && sd_bus_message_enter_container(reply, 'a', "{sv}") >= 0)
            while (sd_bus_message_skip(reply, "{sv}") > 0) ++*count;
        double us = micros(Clock::now() - t0);
        std::string message = error.message ? error.message : std::strerror(-r);
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        if (r < 0) throw std::runtime_error("GetAll failed: " + message);
        return us;
    }

private:
    sd_bus* bus_ = nullptr;
};

}  // namespace

// Usage: bench_dbus_getall [--json FILE] [--quick] [N]   (N calls to each side, default 10 000: the
// p99 of 2 000 rested on 20 samples a side and moved 0.91-1.24x between quiet runs of one tree)
int main(int argc, char** argv) {
    return run(argc, argv, "dbus_getall", 10000, 50, [](const Args& args) -> Report {
        const int n = args.quick ? 300 : args.n;
        hotseat::test::Testbed tb;
        tb.add_intel_igpu();
        hotseat::test::TempDir dir;
        hotseat::test::PrivateBus ours_bus, baseline_bus;
        hotseat::test::write_file(
            dir.file("hotseat.toml"),
            "[supervisor]\nlibvirt_uri = \"test://" HOTSEAT_SOURCE_DIR
            "/tests/data/libvirt/node.xml\"\n"
            "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n"
            "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n");
        auto hotseatd = start_hotseatd(dir.file("hotseat.toml"), ours_bus.address(), dir.path(),
                                       hotseat::test::umockdev_environment(tb.root()));
        auto baseline = start_baseline_service(baseline_bus.address(), dir.path());
        Client to_hotseatd(ours_bus.address()), to_baseline(baseline_bus.address());
        Stats ours{"GetAll on a hotseatd VM object", "us", {}};
        Stats floor{"GetAll on the baseline service's VM object", "us", {}};
        int ours_count = 0, floor_count = 0;
        for (int i = 0; i < 20; ++i) {  // warm-up: connections, caches
            to_hotseatd.get_all(&ours_count);
            to_baseline.get_all(&floor_count);
        }
        if (ours_count != floor_count)
            throw std::runtime_error("not like for like: hotseatd has " + std::to_string(ours_count) +
                                     " VM properties, the baseline " + std::to_string(floor_count));
        for (int i = 0; i < n; ++i) {
            ours.samples.push_back(to_hotseatd.get_all(&ours_count));
            floor.samples.push_back(to_baseline.get_all(&floor_count));
        }
        auto p50 = ratio_figure("GetAll p50: hotseatd VM / baseline sd-bus service", ours.median(), floor.median(),
                                Better::Lower, 1.2, "us");
        p50.note = "the same " + std::to_string(ours_count) + " properties; one client, interleaved calls";
        auto p99 = ratio_figure("GetAll p99: hotseatd VM / baseline sd-bus service", ours.at(0.99), floor.at(0.99),
                                Better::Lower, 1.2, "us");
        return {{ours, floor}, {p50, p99}};
    });
}
