// The harness of the two trigger benchmarks (trigger_latency under umockdev, trigger_netlink on
// real netlink): the same four measurements and the same figures, only the uevent differs.
//   bare     — a bare libudev monitor receiving the uevent (the floor; no bus hop at all);
//   virsh    — `udev RUN+= virsh start`: receive, fork/exec virsh, wait;
//   baseline — bench_baseline_service (baseline_service.c) receiving it with libudev and
//              emitting one PropertiesChanged, seen by the same client code as hotseatd's;
//   hotseatd — uevent → State leaving "off", seen on the bus.
// The baseline and hotseatd run in alternating blocks, each block against a fresh process on a
// fresh bus. Targets: hotseatd's p50 and p99 within 1.5x the baseline's; the virsh speed-up is
// a target (>= 50x) or information, as the caller says.
// HOTSEAT_BENCH_AB=PATH puts the hotseatd at PATH (another build) in the baseline's place, so that
// one run compares two builds block by block (docs/benchmarks.md, "Comparing two builds").
#pragma once

#include <functional>
#include <string>

#include "report.h"
#include "service.h"

namespace hotseat::bench {

struct TriggerBench {
    std::string where;  // "umockdev", "netlink": in every measurement's and figure's name
    // Takes `n` samples of the bare monitor (virsh false) or of the per-event virsh start.
    std::function<void(int n, bool virsh, Stats& into)> measure_bare;
    // Starts the baseline service on the bus at `bus_address`, in `work_dir`.
    std::function<std::unique_ptr<Service>(const std::string& bus_address, const std::string& work_dir)> start_baseline;
    // Starts hotseatd the same way: the one built here (`binary` empty) or another build.
    std::function<std::unique_ptr<Service>(const std::string& binary, const std::string& bus_address,
                                           const std::string& work_dir)>
        start_hotseatd;
    std::function<Clock::time_point()> plug;  // the trigger; returns when it was sent
    std::function<void()> unplug;
    bool virsh_target = true;  // false: the virsh speed-up is information only
    // Alternating blocks per side, each a fresh process on a fresh bus: a process's own luck (where
    // its threads and pages landed) moves a whole block, so more blocks average it out.
    int blocks = 4;
};

Report run_trigger_bench(const TriggerBench& bench, int n);

}  // namespace hotseat::bench
