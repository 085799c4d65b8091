#include "trigger_compare.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "private_bus.h"
#include "process.h"
#include "state_watcher.h"

namespace hotseat::bench {

namespace {

// The other hotseatd of HOTSEAT_BENCH_AB, or "" for the baseline service.
std::string other_hotseatd() {
    const char* path = std::getenv("HOTSEAT_BENCH_AB");
    return path ? path : "";
}

// One block of cycles against a fresh service on a fresh bus; a failure says what it logged.
void measure_block(const TriggerBench& bench, bool hotseat, int n, Stats& into) {
    test::TempDir dir;
    test::PrivateBus bus;
    const std::string other = other_hotseatd();
    auto service = hotseat         ? bench.start_hotseatd("", bus.address(), dir.path())
                   : other.empty() ? bench.start_baseline(bus.address(), dir.path())
                                   : bench.start_hotseatd(other, bus.address(), dir.path());
    StateWatcher watcher(bus.address());
    try {
        measure_state_latency(into, watcher, bench.plug, bench.unplug, n);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string(e.what()) + "\n" + (hotseat ? "hotseatd" : "the baseline") + " said:\n" +
                                 service->output());
    }
}

}  // namespace

Report run_trigger_bench(const TriggerBench& bench, int n) {
    const std::string in = " (" + bench.where + ")";
    Stats bare{"bare libudev monitor" + in, "us", {}};
    Stats virsh{"udev RUN+= virsh start" + in, "us", {}};
    const std::string other = other_hotseatd();
    Stats baseline{
        (other.empty() ? "baseline: libudev -> sd-bus signal seen on D-Bus" : "HOTSEAT_BENCH_AB " + other) + in,
        "us",
        {}};
    Stats hotseat{"hotseatd: uevent -> State seen on D-Bus" + in, "us", {}};
    bench.measure_bare(n, false, bare);
    bench.measure_bare(std::max(10, n / 10), true, virsh);
    in_alternating_blocks(n, bench.blocks,
                          {[&](int k) { measure_block(bench, false, k, baseline); },
                           [&](int k) { measure_block(bench, true, k, hotseat); }});
    // An A/B run's figures name what they compare; their targets mean nothing there.
    const std::string against = other.empty() ? "baseline service" : "HOTSEAT_BENCH_AB hotseatd";
    auto p50 = ratio_figure("trigger p50 vs " + against + " p50" + in, hotseat.median(), baseline.median(),
                            Better::Lower, 1.5, "us");
    p50.note = "both: uevent -> PropertiesChanged(State) received by the same client";
    auto p99 = ratio_figure("trigger p99 vs " + against + " p99" + in, hotseat.at(0.99), baseline.at(0.99),
                            Better::Lower, 1.5, "us");
    const std::string speedup_name = "virsh-per-event p50 / hotseat p50" + in;
    auto speedup = bench.virsh_target
                       ? ratio_figure(speedup_name, virsh.median(), hotseat.median(), Better::Higher, 50.0, "us")
                       : info_figure(speedup_name, virsh.median(), hotseat.median(), "us");
    if (!bench.virsh_target) speedup.note = "umockdev's emission sits in both; the target is on real netlink";
    return {{bare, virsh, baseline, hotseat}, {p50, p99, speedup}};
}

}  // namespace hotseat::bench
