// The one report format of every benchmark (docs/design.md "Performance targets"): measurements (samples with
// median and spread) and figures (a value against a baseline measured in the same run, the ratio, the
// target and the verdict), printed as a table and written as JSON for machines. Each figure
// carries the load average at the moment it was taken: the machine may be shared, and a
// verdict on a loaded machine says so instead of claiming a target it cannot vouch for.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace hotseat::bench {

using Clock = std::chrono::steady_clock;
double micros(Clock::duration d);
double millis(Clock::duration d);

// Samples of one measurement, in `unit` ("us", "ms", "events/s", "KiB", ...).
struct Stats {
    std::string name;
    std::string unit;
    std::vector<double> samples;

    double at(double fraction) const;  // 0: the smallest sample, 1: the largest, 0.99: p99
    double median() const;
    double spread() const { return at(1.0) - at(0.0); }
    std::string json() const;
};

enum class Better { Lower, Higher };

struct Figure {
    std::string name;
    double value = 0;
    double baseline = 0;
    double ratio = 0;    // value / baseline
    std::string target;  // "<= 2.0x", ">= 100000 /s", ...
    bool met = false;
    std::string unit;
    std::string load;     // /proc/loadavg's three averages when the figure was taken
    bool loaded = false;  // the 1-minute load was above the core count: numbers are suspect
    std::string note;     // what the figure measures when the name alone does not say it
};

// value/baseline against `limit` (a ratio): Lower means the ratio must be <= limit.
Figure ratio_figure(std::string name, double value, double baseline, Better better, double limit, std::string unit);
// An absolute target (no baseline worth dividing by, e.g. wakeups per minute: target 0).
// The ratio is then value/limit (or 0 when the limit is 0).
Figure absolute_figure(std::string name, double value, double baseline, Better better, double limit, std::string unit);
// What the value adds to its baseline must stay within `limit` (e.g. the wakeups hotseatd has
// beyond those libvirt imposes on every client): met when value - baseline <= limit.
Figure excess_figure(std::string name, double value, double baseline, double limit, std::string unit);
// No target: a number shown for what it tells (verdict "info"; met is true, there is nothing to miss).
Figure info_figure(std::string name, double value, double baseline, std::string unit);

// Runs each of `measure` for `n` samples in all, in `rounds` alternating blocks (A B A B ...), so
// that a drift in the machine's load hits each alike. measure[i](k) takes k more samples.
void in_alternating_blocks(int n, int rounds, const std::vector<std::function<void(int)>>& measure);

std::string load_average();  // "1.23 0.98 0.75"
bool machine_loaded();       // 1-minute load above the number of online cores

// Prints both tables to stdout.
void print_report(const std::vector<Stats>& measurements, const std::vector<Figure>& figures);
// {"benchmark":..., "load":..., "measurements":[...], "figures":[...]}
std::string report_json(const std::string& benchmark, const std::vector<Stats>& measurements,
                        const std::vector<Figure>& figures);

// The command line every benchmark takes: [--json FILE] [--quick] [N].
struct Args {
    std::string json_path;
    int n = 0;           // samples (or runs); the benchmark's default when not given
    bool quick = false;  // shorter durations, for a smoke run
};
Args parse_args(int argc, char** argv, int default_n, int min_n);

// Prints the report, writes the JSON when asked. Returns main()'s exit status.
int finish(const Args& args, const std::string& benchmark, const std::vector<Stats>& measurements,
           const std::vector<Figure>& figures);

struct Report {
    std::vector<Stats> measurements;
    std::vector<Figure> figures;
};
// The main() of every benchmark: parses the arguments, runs `body` and reports what it returns
// (finish()); an exception is a failed benchmark, its message on stderr and exit status 1.
int run(int argc, char** argv, const std::string& benchmark, int default_n, int min_n,
        const std::function<Report(const Args&)>& body);

}  // namespace hotseat::bench
