#include "report.h"

#include "samples.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

namespace hotseat::bench {

namespace {

// Benchmark and figure names are ours, but quote them properly anyway.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out += c;
    }
    return out + "\"";
}

std::string number(double v) {
    if (!std::isfinite(v)) return "null";
    std::ostringstream o;
    o.precision(10);
    o << v;
    return o.str();
}

Figure make(std::string name, double value, double baseline, double ratio, std::string target, bool met,
            std::string unit) {
    Figure f;
    f.name = std::move(name);
    f.value = value;
    f.baseline = baseline;
    f.ratio = ratio;
    f.target = std::move(target);
    f.met = met;
    f.unit = std::move(unit);
    f.load = load_average();
    f.loaded = machine_loaded();
    return f;
}

std::string limit_text(Better better, double limit, const char* suffix) {
    std::ostringstream o;
    o << (better == Better::Lower ? "<= " : ">= ") << limit << suffix;
    return o.str();
}

constexpr const char* kNoTarget = "none (information)";

std::string verdict(const Figure& f) {
    if (f.target == kNoTarget) return "info";
    if (!f.met) return f.loaded ? "NOT MET (loaded)" : "NOT MET";
    return f.loaded ? "met? (loaded)" : "met";
}

}  // namespace

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }
double millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Stats::at(double fraction) const { return test::percentile(samples, fraction); }

double Stats::median() const { return test::median(samples); }

std::string Stats::json() const {
    std::ostringstream o;
    o << "{\"name\":" << quoted(name) << ",\"unit\":" << quoted(unit) << ",\"n\":" << samples.size()
      << ",\"median\":" << number(median()) << ",\"p90\":" << number(at(0.9)) << ",\"p99\":" << number(at(0.99))
      << ",\"min\":" << number(at(0.0)) << ",\"max\":" << number(at(1.0)) << ",\"samples\":[";
    for (size_t i = 0; i < samples.size(); ++i) o << (i ? "," : "") << number(samples[i]);
    o << "]}";
    return o.str();
}

Figure ratio_figure(std::string name, double value, double baseline, Better better, double limit, std::string unit) {
    double ratio = baseline != 0 ? value / baseline : NAN;
    bool met = std::isfinite(ratio) && (better == Better::Lower ? ratio <= limit : ratio >= limit);
    return make(std::move(name), value, baseline, ratio, limit_text(better, limit, "x"), met, std::move(unit));
}

Figure absolute_figure(std::string name, double value, double baseline, Better better, double limit, std::string unit) {
    double ratio = limit != 0 ? value / limit : 0;
    bool met = better == Better::Lower ? value <= limit : value >= limit;
    return make(std::move(name), value, baseline, ratio, limit_text(better, limit, (" " + unit).c_str()), met,
                std::move(unit));
}

Figure excess_figure(std::string name, double value, double baseline, double limit, std::string unit) {
    std::ostringstream target;
    target << "<= baseline + " << limit << " " << unit;
    double ratio = baseline != 0 ? value / baseline : NAN;
    return make(std::move(name), value, baseline, ratio, target.str(), value - baseline <= limit, std::move(unit));
}

Figure info_figure(std::string name, double value, double baseline, std::string unit) {
    double ratio = baseline != 0 ? value / baseline : NAN;
    return make(std::move(name), value, baseline, ratio, kNoTarget, true, std::move(unit));
}

void in_alternating_blocks(int n, int rounds, const std::vector<std::function<void(int)>>& measure) {
    for (int round = 0; round < rounds; ++round) {
        const int samples = n / rounds + (round < n % rounds ? 1 : 0);
        for (const auto& m : measure) m(samples);
    }
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

bool machine_loaded() {
    std::ifstream in("/proc/loadavg");
    double one = 0;
    in >> one;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return one > static_cast<double>(cores > 0 ? cores : 1);
}

void print_report(const std::vector<Stats>& measurements, const std::vector<Figure>& figures) {
    std::printf("%-46s %5s %11s %11s %11s %11s %6s\n", "measurement", "n", "median", "min", "max", "spread", "unit");
    for (const auto& s : measurements)
        std::printf("%-46s %5zu %11.1f %11.1f %11.1f %11.1f %6s\n", s.name.c_str(), s.samples.size(), s.median(),
                    s.at(0.0), s.at(1.0), s.spread(), s.unit.c_str());
    std::printf("\n%-50s %11s %11s %9s %-14s %-17s %s\n", "figure", "value", "baseline", "ratio", "target", "verdict",
                "load (1/5/15 min)");
    for (const auto& f : figures)
        std::printf("%-50s %11.1f %11.1f %9.3f %-14s %-17s %s\n", f.name.c_str(), f.value, f.baseline, f.ratio,
                    f.target.c_str(), verdict(f).c_str(), f.load.c_str());
    for (const auto& f : figures)
        if (!f.note.empty()) std::printf("  %s: %s\n", f.name.c_str(), f.note.c_str());
}

std::string report_json(const std::string& benchmark, const std::vector<Stats>& measurements,
                        const std::vector<Figure>& figures) {
    std::ostringstream o;
    o << "{\"benchmark\":" << quoted(benchmark) << ",\"load\":" << quoted(load_average()) << ",\"measurements\":[";
    for (size_t i = 0; i < measurements.size(); ++i) o << (i ? "," : "") << measurements[i].json();
    o << "],\"figures\":[";
    for (size_t i = 0; i < figures.size(); ++i) {
        const auto& f = figures[i];
        o << (i ? "," : "") << "{\"figure\":" << quoted(f.name) << ",\"value\":" << number(f.value)
          << ",\"baseline\":" << number(f.baseline) << ",\"ratio\":" << number(f.ratio)
          << ",\"unit\":" << quoted(f.unit) << ",\"target\":" << quoted(f.target)
          << ",\"met\":" << (f.met ? "true" : "false") << ",\"verdict\":" << quoted(verdict(f))
          << ",\"load\":" << quoted(f.load) << ",\"loaded\":" << (f.loaded ? "true" : "false")
          << ",\"note\":" << quoted(f.note) << "}";
    }
    o << "]}";
    return o.str();
}

Args parse_args(int argc, char** argv, int default_n, int min_n) {
    Args args;
    args.n = default_n;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--json" && i + 1 < argc)
            args.json_path = argv[++i];
        else if (a == "--quick")
            args.quick = true;
        else
            args.n = std::max(min_n, std::atoi(argv[i]));
    }
    return args;
}

int finish(const Args& args, const std::string& benchmark, const std::vector<Stats>& measurements,
           const std::vector<Figure>& figures) {
    print_report(measurements, figures);
    if (args.json_path.empty()) return 0;
    std::ofstream out(args.json_path);
    out << report_json(benchmark, measurements, figures) << "\n";
    if (!out) {
        std::cerr << benchmark << ": cannot write " << args.json_path << "\n";
        return 1;
    }
    return 0;
}

int run(int argc, char** argv, const std::string& benchmark, int default_n, int min_n,
        const std::function<Report(const Args&)>& body) {
    auto args = parse_args(argc, argv, default_n, min_n);
    try {
        auto report = body(args);
        return finish(args, benchmark, report.measurements, report.figures);
    } catch (const std::exception& e) {
        std::cerr << "bench_" << benchmark << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace hotseat::bench
