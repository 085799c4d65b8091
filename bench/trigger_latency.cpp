// Trigger latency under umockdev (docs/design.md "Performance targets"): a monitor-plug uevent emitted on the
// emulated machine → the VM's State leaving "off", as a D-Bus client sees it, against the like-for-like
// baseline and the usual alternatives (trigger_compare.h). The baseline reads the card's
// connectors as hotseatd must (a hotplug uevent does not say what changed). umockdev's emission
// (a GLib call that re-reads the device and writes to every listener) sits in every sample; the
// virsh speed-up is therefore information here, its target is on real netlink (trigger_netlink).
// Must run under umockdev's preload (scripts/bench does that).
#include <stdexcept>
#include <string>

#include "bare_monitor.h"
#include "process.h"
#include "testbed.h"
#include "trigger_compare.h"

namespace {

using namespace hotseat::bench;
using hotseat::test::Testbed;

const std::string kUri = "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml";

Clock::time_point plug(Testbed& tb, bool connected) {
    tb.set_connector_status("HDMI-A-1", connected ? "connected" : "disconnected");
    auto t0 = Clock::now();
    tb.send_hotplug();
    return t0;
}

}  // namespace

// Usage: bench_trigger_latency [--json FILE] [--quick] [N]
int main(int argc, char** argv) {
    return run(argc, argv, "trigger_latency", 200, 10, [](const Args& args) -> Report {
        Testbed tb;
        tb.add_intel_igpu();
        TriggerBench bench;
        bench.where = "umockdev";
        bench.measure_bare = [&](int n, bool virsh, Stats& into) {
            BareMonitor mon("drm");
            for (int i = 0; i < n; ++i) {
                auto t0 = plug(tb, i % 2 == 0);
                mon.receive_one();
                int status = 0;
                if (virsh)
                    hotseat::test::run_capture({"virsh", "-q", "-c", kUri, "start", "arch-desktop"}, &status,
                                               {{"LD_PRELOAD", ""}});
                if (status != 0) throw std::runtime_error("virsh start failed");
                into.samples.push_back(micros(Clock::now() - t0));
            }
            plug(tb, false);
        };
        bench.start_baseline = [&](const std::string& bus, const std::string& dir) {
            return start_baseline_service(bus, dir, "drm", hotseat::test::umockdev_environment(tb.root()));
        };
        bench.start_hotseatd = [&](const std::string& binary, const std::string& bus, const std::string& dir) {
            hotseat::test::write_file(
                dir + "/hotseat.toml",
                "[supervisor]\nlibvirt_uri = \"" + kUri +
                    "\"\ndebounce_ms = 0\n"
                    "[[vm]]\nname = \"arch-desktop\"\n"
                    "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n"
                    "[[rule]]\nname = \"unplug\"\non = \"monitor.disconnected\"\naction = \"stop\"\nvm = "
                    "\"arch-desktop\"\n");
            return start_hotseatd(dir + "/hotseat.toml", bus, dir, hotseat::test::umockdev_environment(tb.root()),
                                  binary);
        };
        bench.plug = [&] { return plug(tb, true); };
        bench.unplug = [&] { plug(tb, false); };
        bench.virsh_target = false;
        return run_trigger_bench(bench, args.quick ? 50 : args.n);
    });
}
