#include "service.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hotseat::bench {

Service::Service(std::vector<std::string> argv, Environment env, const std::string& work_dir,
                 const std::string& log_name) {
    notify_ = std::make_unique<test::NotifySocket>(work_dir + "/" + log_name + ".notify");
    env["NOTIFY_SOCKET"] = notify_->path();
    process_ = std::make_unique<test::Process>(
        test::Process::Options{std::move(argv), std::move(env), work_dir + "/" + log_name});
    if (!notify_->wait_for("READY=1", std::chrono::seconds(15)))
        throw std::runtime_error(log_name + " not ready:\n" + process_->output());
}

std::unique_ptr<Service> start_hotseatd(const std::string& config, const std::string& bus_address,
                                        const std::string& work_dir, Environment env, const std::string& binary) {
    env["DBUS_SYSTEM_BUS_ADDRESS"] = bus_address;
    std::vector<std::string> argv;
    // A profiler in front of hotseatd (docs/benchmarks.md, "Profiling"), split on spaces.
    if (const char* wrap = std::getenv("HOTSEAT_BENCH_WRAP")) {
        std::istringstream words(wrap);
        for (std::string w; words >> w;) argv.push_back(w);
    }
    argv.insert(argv.end(), {binary.empty() ? std::string(HOTSEATD_PATH) : binary, "--config", config});
    return std::make_unique<Service>(std::move(argv), std::move(env), work_dir, "hotseatd.log");
}

std::unique_ptr<Service> start_baseline_service(const std::string& bus_address, const std::string& work_dir,
                                                const std::string& udev_subsystem, Environment env) {
    env["DBUS_SYSTEM_BUS_ADDRESS"] = bus_address;
    std::vector<std::string> argv{HOTSEAT_BENCH_BASELINE_SERVICE};
    if (!udev_subsystem.empty()) argv.insert(argv.end(), {"--udev", udev_subsystem});
    return std::make_unique<Service>(std::move(argv), std::move(env), work_dir, "baseline.log");
}

double cpu_time_ms(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    auto end_of_name = stat.rfind(')');
    if (end_of_name == std::string::npos)
        throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
    std::istringstream fields(stat.substr(end_of_name + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt: fields 3-13
    double utime = 0, stime = 0;
    fields >> utime >> stime;  // fields 14 and 15, in clock ticks
    return (utime + stime) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace hotseat::bench
