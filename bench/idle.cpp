// Idle cost (docs/design.md "Performance targets"): while nothing happens, hotseatd must not wake up (no
// polling; timers only when something is pending) and must stay small. Counted over the same windows
// beside it:
//   thd          triggerhappy watching the same emulated keyboard (the usual hotkey daemon);
//   libvirt client  bench_baseline_libvirt (baseline_libvirt.c), the least a program needs to
//                learn of domain events from the same libvirtd: the wakeups libvirt imposes on
//                every event client.
//   wakeups: voluntary + involuntary context switches of every thread (/proc/PID/task/*/status)
//            over the window, per minute.
//   memory:  USS, the private pages (Private_Clean + Private_Dirty + Private_Hugetlb of
//            /proc/PID/smaps_rollup). Target < 4 MiB.
// hotseatd runs with the watchdog of the shipped unit (WatchdogSec= of systemd/hotseatd.service,
// passed as systemd passes it: WATCHDOG_USEC), three times:
//   - against libvirt's test driver (in-process: hotseatd's own loops and the watchdog only);
//   - against a sandboxed real libvirtd as Debian configures it, which pings every idle event
//     client every 5 s (keepalive_interval, libvirtd.conf); target: at most 3 a minute more than
//     the minimal libvirt client beside it;
//   - against a real libvirtd that pings nobody (keepalive_interval = -1), where hotseatd's own
//     keepalive (supervisor/libvirt/connection.cpp) and the watchdog are all there is: target
//     at most 3 a minute.
// Must run under umockdev's preload (scripts/bench does it).
#include <dirent.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "e2e_guest.h"
#include "libvirt_sandbox.h"
#include "private_bus.h"
#include "process.h"
#include "report.h"
#include "service.h"
#include "testbed.h"

namespace {

using namespace hotseat::bench;
using namespace hotseat::test;

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

// WatchdogSec= of the shipped unit, in microseconds ("30s", "3min", "90").
long long shipped_watchdog_usec(std::string* text) {
    std::ifstream unit(HOTSEAT_SOURCE_DIR "/systemd/hotseatd.service");
    std::string line;
    std::smatch m;
    while (std::getline(unit, line))
        if (std::regex_match(line, m, std::regex(R"(WatchdogSec=(\d+)(s|min)?)"))) {
            *text = line;
            return std::stoll(m[1]) * (m[2] == "min" ? 60 : 1) * 1000000LL;
        }
    throw std::runtime_error("no WatchdogSec=<n>[s|min] in systemd/hotseatd.service");
}

std::string config_text(const std::string& uri) {
    return "[supervisor]\nlibvirt_uri = \"" + uri +
           "\"\n"
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

// Wakeups per minute of each process in each of `windows` consecutive windows of `each`;
// `after_window` runs at the end of each (reading smaps_rollup does not wake a process).
std::vector<Stats> watch_idle(const std::vector<std::pair<std::string, pid_t>>& processes, int windows,
                              std::chrono::seconds each, const std::function<void()>& after_window) {
    std::vector<Stats> out;
    for (const auto& [name, pid] : processes) out.push_back({name, "/min", {}});
    for (int w = 0; w < windows; ++w) {
        std::vector<long> before;
        for (const auto& p : processes) before.push_back(context_switches(p.second));
        std::this_thread::sleep_for(each);  // the measurement itself: a window of nothing
        for (size_t i = 0; i < processes.size(); ++i)
            out[i].samples.push_back(static_cast<double>(context_switches(processes[i].second) - before[i]) * 60.0 /
                                     static_cast<double>(each.count()));
        after_window();
    }
    return out;
}

}  // namespace

// Usage: bench_idle [--json FILE] [--quick] [SECONDS]   (per hotseatd run, default 60; three
// times that against each real libvirtd)
int main(int argc, char** argv) {
    return run(argc, argv, "idle", 60, 6, [](const Args& args) -> Report {
        // The runs against a real libvirtd are three times as long: hotseatd's own timers there
        // (keepalive, watchdog) fire every 1.5 to 2.25 minutes, and a one-minute window would hold
        // one or none of them; against the stock libvirtd the figure is a difference of two counts
        // of about 20 a minute each, and one minute moved it by ±4 between quiet runs.
        const int seconds = args.quick ? 12 : args.n, quiet_seconds = 3 * seconds;
        const int windows = 6;
        std::string watchdog_line;
        const long long watchdog_usec = shipped_watchdog_usec(&watchdog_line);
        Testbed tb;
        tb.add_intel_igpu();
        tb.add_keyboard(7, "Bench Keyboard");
        TempDir dir;
        write_file(dir.file("triggers.conf"), "KEY_F12+KEY_LEFTCTRL 1 true\n");
        Process thd({{"thd", "--triggers", dir.file("triggers.conf"), Testbed::input_node(7)},
                     umockdev_environment(tb.root()),
                     dir.file("thd.log")});

        Report report;
        // One hotseatd on `uri` (with the minimal libvirt client beside it when `client`), watched
        // for `windows` windows. Returns hotseatd's and the client's mean wakeups per minute.
        auto idle_run = [&](const std::string& label, const std::string& uri, bool client, int seconds) {
            const auto each = std::chrono::seconds(std::max(1, seconds / windows));
            const auto started = Clock::now();
            TempDir work;
            PrivateBus bus;
            write_file(work.file("hotseat.toml"), config_text(uri));
            auto env = umockdev_environment(tb.root());
            env["WATCHDOG_USEC"] = std::to_string(watchdog_usec);
            auto hotseatd = start_hotseatd(work.file("hotseat.toml"), bus.address(), work.path(), env);
            std::unique_ptr<Process> libvirt_client;
            if (client) {
                libvirt_client = std::make_unique<Process>(Process::Options{
                    {HOTSEAT_BENCH_BASELINE_LIBVIRT, uri}, {{"LD_PRELOAD", ""}}, work.file("client.log")});
                if (!wait_until([&] { return libvirt_client->output().find("ready") != std::string::npos; }))
                    throw std::runtime_error("the minimal libvirt client did not connect:\n" +
                                             libvirt_client->output());
            }
            std::vector<std::pair<std::string, pid_t>> watched{{"hotseatd wakeups/min, " + label, hotseatd->pid()},
                                                               {"thd wakeups/min (beside it)", thd.pid()}};
            if (client) watched.emplace_back("minimal libvirt client wakeups/min (beside it)", libvirt_client->pid());
            // USS at the end of each window, the median reported: one reading moved by 1 MiB between runs.
            Stats uss{"hotseatd USS, " + label, "KiB", {}};
            Stats thd_uss{"thd USS (beside it)", "KiB", {}};
            // Idle begins once start-up is over: its last messages (the bus daemon's NameAcquired
            // after READY=1, say) land in the first second.
            std::this_thread::sleep_for(std::chrono::seconds(1));
            const size_t pings_before = hotseatd->notify().count("WATCHDOG=1");
            auto wakeups = watch_idle(watched, windows, each, [&] {
                uss.samples.push_back(uss_kib(hotseatd->pid()));
                thd_uss.samples.push_back(uss_kib(thd.pid()));
            });
            const size_t pings_total = hotseatd->notify().count("WATCHDOG=1");
            const double pings = static_cast<double>(pings_total - pings_before) * 60.0 /
                                 static_cast<double>(windows * each.count());
            // sd-event pings by three quarters of the period at the latest.
            if (pings_total == 0 && micros(Clock::now() - started) > 0.75 * static_cast<double>(watchdog_usec))
                throw std::runtime_error("no watchdog ping from hotseatd: is WATCHDOG_USEC honoured?");
            report.measurements.insert(report.measurements.end(), wakeups.begin(), wakeups.end());
            report.measurements.push_back({"hotseatd watchdog pings/min, " + label, "/min", {pings}});
            report.measurements.insert(report.measurements.end(), {uss, thd_uss});
            return std::vector<double>{mean(wakeups[0]), mean(wakeups[1]), client ? mean(wakeups[2]) : 0.0,
                                       uss.median(), thd_uss.median()};
        };
        auto note = [&](int over) {
            return "mean over " + std::to_string(over) + " s; " + watchdog_line + " as shipped";
        };
        {
            auto r = idle_run("libvirt test driver", "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml", false,
                              seconds);
            auto wake = absolute_figure("idle wakeups/min, libvirt test driver", r[0], r[1], Better::Lower, 3, "/min");
            wake.note = note(seconds) + "; baseline: thd";
            // Information only: here libvirt.so and the 55 libraries it loads are mapped by hotseatd
            // alone, so their clean pages count as private; what that adds depends on what else
            // runs (docs/benchmarks.md, "Memory"). The target is the reading beside libvirtd below.
            auto mem = info_figure("USS KiB, libvirt test driver", r[3], r[4], "KiB");
            mem.note = "median of " + std::to_string(windows) +
                       " readings; libvirt's in-process test driver and its libraries count too; "
                       "information, the target is the figure beside a real libvirtd";
            report.figures.insert(report.figures.end(), {wake, mem});
        }
        {
            LibvirtSandbox libvirt(LibvirtSandbox::Options{guest_libvirt_cache_dir()});
            auto r = idle_run("real libvirtd", libvirt.uri(), true, quiet_seconds);
            auto wake = excess_figure("idle wakeups/min, real libvirtd (pings every 5 s)", r[0], r[2], 3, "/min");
            wake.note = note(quiet_seconds) + "; baseline: a minimal libvirt event client on the same libvirtd";
            auto mem = absolute_figure("USS KiB, real libvirtd", r[3], r[4], Better::Lower, 4096, "KiB");
            mem.note = "median of " + std::to_string(windows) +
                       " readings; baseline: thd; both under umockdev's preload, which adds its own pages";
            report.figures.insert(report.figures.end(), {wake, mem});
        }
        {
            LibvirtSandbox::Options quiet{guest_libvirt_cache_dir()};
            quiet.server_keepalive = false;
            LibvirtSandbox libvirt(quiet);
            auto r = idle_run("real libvirtd, no server keepalive", libvirt.uri(), true, quiet_seconds);
            auto wake = absolute_figure("idle wakeups/min, real libvirtd pinging nobody", r[0], r[2], Better::Lower, 3,
                                        "/min");
            wake.note = note(quiet_seconds) + "; keepalive_interval = -1; baseline: a minimal libvirt event client";
            report.figures.push_back(wake);
        }
        return report;
    });
}
