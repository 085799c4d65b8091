// The governor's ears: one PSI trigger per watched resource on the sd-event loop, armed while
// the engine says some VM runs (WatchPressure) and closed otherwise, so an idle host costs no
// fd and no wakeup. Each POLLPRI becomes a PressureStall event for the engine.
#pragma once

#include <systemd/sd-event.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hotseat/config.h"
#include "hotseat/events.h"
#include "util/fd.h"
#include "util/sd_handles.h"

namespace hotseat::pressure {

class PressureMonitor {
public:
    using Sink = std::function<void(Event)>;
    // slice_dir / proc_dir: where the default pressure files are looked for (tests point them
    // at a temp dir).
    PressureMonitor(sd_event* loop, Sink sink, std::string slice_dir = "/sys/fs/cgroup/system.slice",
                    std::string proc_dir = "/proc/pressure");
    ~PressureMonitor();
    PressureMonitor(const PressureMonitor&) = delete;
    PressureMonitor& operator=(const PressureMonitor&) = delete;

    // A new [governor] config: re-arms with it when armed.
    void configure(const GovernorConfig& config);
    // Opens and arms the triggers, logging which file each resource uses; a file that cannot be
    // armed is logged and left out (the others still work). Idempotent.
    void arm();
    void disarm();  // closes every trigger
    std::vector<std::string> armed_paths() const;

private:
    struct Watch {
        std::string resource;
        std::string path;
        util::UniqueFd fd;
        util::EventSource source;  // after fd: disabled before the fd closes
        PressureMonitor* owner = nullptr;
    };
    void arm_one(const std::string& resource, const std::string& configured, std::uint32_t stall_ms);
    static int on_pressure(sd_event_source*, int fd, uint32_t revents, void* watch);

    sd_event* loop_;
    Sink sink_;
    std::string slice_dir_, proc_dir_;
    GovernorConfig config_;
    std::vector<std::unique_ptr<Watch>> watches_;
    bool armed_ = false;
};

}  // namespace hotseat::pressure
