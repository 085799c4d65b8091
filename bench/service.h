// The daemons a benchmark measures, started as they run when deployed: no --verbose, their own
// NOTIFY_SOCKET, and READY=1 awaited before anything is measured. hotseatd and the like-for-like
// baseline service (baseline_service.c) are started the same way, so that what differs between
// their numbers is what they do.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "process.h"

namespace hotseat::bench {

using Environment = std::map<std::string, std::string>;

class Service {
public:
    // Starts argv with `env` added, NOTIFY_SOCKET in `work_dir`, output to work_dir/<log_name>;
    // waits up to 15 s for READY=1 and throws with the output when it does not come.
    Service(std::vector<std::string> argv, Environment env, const std::string& work_dir, const std::string& log_name);
    pid_t pid() const { return process_->pid(); }
    bool running() { return process_->running(); }
    std::string output() const { return process_->output(); }
    test::NotifySocket& notify() { return *notify_; }

private:
    std::unique_ptr<test::NotifySocket> notify_;
    std::unique_ptr<test::Process> process_;
};

// hotseatd on `config`, on the bus at `bus_address`, with `env` added (umockdev's, WATCHDOG_USEC);
// `binary` another hotseatd than the one built here (empty: this build's).
std::unique_ptr<Service> start_hotseatd(const std::string& config, const std::string& bus_address,
                                        const std::string& work_dir, Environment env = {},
                                        const std::string& binary = "");
// bench_baseline_service on the bus at `bus_address`; `udev_subsystem` empty: no uevents.
std::unique_ptr<Service> start_baseline_service(const std::string& bus_address, const std::string& work_dir,
                                                const std::string& udev_subsystem = "", Environment env = {});

// CPU time (user + system) `pid` has used so far, in milliseconds (/proc/PID/stat).
double cpu_time_ms(pid_t pid);

}  // namespace hotseat::bench
