// Idle cost (DESIGN §8): while nothing happens, hotseatd must not wake up (no polling; timers
// only when something is pending) and must stay small. Measured beside triggerhappy (`thd`)
// watching the same emulated keyboard over the same window:
//   wakeups: voluntary + involuntary context switches of every thread (/proc/PID/task/*/status)
//            over the window, per minute. Target 0.
//   memory:  USS, the private pages (Private_Clean + Private_Dirty + Private_Hugetlb of
//            /proc/PID/smaps_rollup). Target < 4 MiB.
// hotseatd runs twice: against libvirt's test driver (in-process: only hotseatd's own loops
// count) and against a sandboxed real libvirtd, where the libvirt keepalive (virConnectSetKeepAlive
// 5 s, connection.cpp) is a wakeup by design. The watchdog ping (WatchdogSec=30s) is off here: no
// WATCHDOG_USEC outside systemd. Must run under umockdev's preload (scripts/bench does it).
#include <dirent.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "libvirt_sandbox.h"
#include "e2e_guest.h"
#include "private_bus.h"
#include "process.h"
#include "report.h"
#include "testbed.h"

namespace {

using namespace std::chrono_literals;
using namespace hotseat::test;
using hotseat::bench::Better;
using hotseat::bench::Stats;

long status_field(const std::string& path, const std::string& field) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, field.size() + 1, field + ":") == 0) return std::stol(line.substr(field.size() + 1));
    return 0;
}

// Context switches of every thread of `pid` so far.
long context_switches(pid_t pid) {
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    long total = 0;
    DIR* dir = opendir(tasks.c_str());
    if (!dir) throw std::runtime_error("cannot read " + tasks);
    while (dirent* e = readdir(dir)) {
        if (e->d_name[0] == '.') continue;
        const std::string status = tasks + "/" + e->d_name + "/status";
        total += status_field(status, "voluntary_ctxt_switches") + status_field(status, "nonvoluntary_ctxt_switches");
    }
    closedir(dir);
    return total;
}

double uss_kib(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/smaps_rollup";
    return static_cast<double>(status_field(path, "Private_Clean") + status_field(path, "Private_Dirty") +
                               status_field(path, "Private_Hugetlb"));
}

std::string config_text(const std::string& uri) {
    return "[supervisor]\nlibvirt_uri = \"" + uri + "\"\n"
           "[[vm]]\nname = \"arch-desktop\"\n"
           "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n"
           "[[rule]]\nname = \"key\"\non = \"hotkey\"\nkeys = [\"KEY_LEFTCTRL\", \"KEY_F12\"]\n"
           "action = \"toggle\"\nvm = \"arch-desktop\"\n";
}

double mean(const Stats& s) {
    double sum = 0;
    for (double v : s.samples) sum += v;
    return s.samples.empty() ? 0 : sum / static_cast<double>(s.samples.size());
}

struct Window {
    Stats hotseat, thd, hotseat_uss, thd_uss;
};

// `windows` consecutive windows of `each`: wakeups per minute in each, and USS at the end of each
// (one reading moved by 1 MiB between runs; reading smaps_rollup does not wake the process).
void watch_idle(pid_t hotseat_pid, pid_t thd_pid, int windows, std::chrono::seconds each, Window& out) {
    for (int i = 0; i < windows; ++i) {
        long h0 = context_switches(hotseat_pid), t0 = context_switches(thd_pid);
        std::this_thread::sleep_for(each);  // the measurement itself: a window of nothing
        double per_minute = 60.0 / static_cast<double>(each.count());
        out.hotseat.samples.push_back(static_cast<double>(context_switches(hotseat_pid) - h0) * per_minute);
        out.thd.samples.push_back(static_cast<double>(context_switches(thd_pid) - t0) * per_minute);
        out.hotseat_uss.samples.push_back(uss_kib(hotseat_pid));
        out.thd_uss.samples.push_back(uss_kib(thd_pid));
    }
}

}  // namespace

// Usage: bench_idle [--json FILE] [--quick] [SECONDS]   (window per hotseatd run; default 60)
int main(int argc, char** argv) {
    auto args = hotseat::bench::parse_args(argc, argv, 60, 6);
    const int seconds = args.quick ? 12 : args.n;
    const int windows = 6;
    const auto each = std::chrono::seconds(std::max(1, seconds / windows));
    try {
        Testbed tb;
        tb.add_intel_igpu();
        tb.add_keyboard(7, "Bench Keyboard");
        TempDir dir;
        write_file(dir.file("triggers.conf"), "KEY_F12+KEY_LEFTCTRL 1 true\n");
        Process thd({{"thd", "--triggers", dir.file("triggers.conf"), Testbed::input_node(7)},
                     umockdev_environment(tb.root()), dir.file("thd.log")});

        std::vector<Stats> measurements;
        std::vector<hotseat::bench::Figure> figures;
        auto run = [&](const std::string& label, const std::string& uri) {
            TempDir work;
            PrivateBus bus;
            write_file(work.file("hotseat.toml"), config_text(uri));
            DaemonProcess daemon({work.file("hotseat.toml"), tb.root(), bus.address(), work.path(), {}});
            if (!daemon.wait_ready()) throw std::runtime_error("hotseatd not ready:\n" + daemon.log());
            Window w{{"hotseatd wakeups/min, " + label, "/min", {}},
                     {"thd wakeups/min (beside it)", "/min", {}},
                     {"hotseatd USS, " + label, "KiB", {}},
                     {"thd USS (beside it)", "KiB", {}}};
            watch_idle(daemon.process().pid(), thd.pid(), windows, each, w);
            // Over the whole run (the mean), not the median window: a 5 s keepalive lands in some
            // windows only.
            auto wake = hotseat::bench::absolute_figure("idle wakeups/min, " + label, mean(w.hotseat), mean(w.thd),
                                                        Better::Lower, 0, "/min");
            wake.note = "context switches of all threads over " + std::to_string(windows * each.count()) +
                        " s; baseline: thd over the same windows";
            auto mem = hotseat::bench::absolute_figure("USS KiB, " + label, w.hotseat_uss.median(),
                                                       w.thd_uss.median(), Better::Lower, 4096, "KiB");
            mem.note = "median of " + std::to_string(windows) +
                       " readings; baseline: thd's USS; both run under umockdev's preload, which adds its own pages";
            measurements.insert(measurements.end(), {w.hotseat, w.thd, w.hotseat_uss, w.thd_uss});
            figures.insert(figures.end(), {wake, mem});
        };
        run("libvirt test driver", "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml");
        {
            LibvirtSandbox libvirt(LibvirtSandbox::Options{guest_libvirt_cache_dir()});
            run("real libvirtd", libvirt.uri());
        }
        return hotseat::bench::finish(args, "idle", measurements, figures);
    } catch (const std::exception& e) {
        std::cerr << "bench_idle: " << e.what() << "\n";
        return 1;
    }
}
