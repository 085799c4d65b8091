#include "pressure/pressure_monitor.h"

#include <sys/epoll.h>

#include <cstring>

#include "log.h"
#include "pressure/psi_trigger.h"

namespace hotseat::pressure {

PressureMonitor::PressureMonitor(sd_event* loop, Sink sink, std::string slice_dir, std::string proc_dir)
    : loop_(loop), sink_(std::move(sink)), slice_dir_(std::move(slice_dir)), proc_dir_(std::move(proc_dir)) {}

PressureMonitor::~PressureMonitor() { disarm(); }

void PressureMonitor::configure(const GovernorConfig& config) {
    config_ = config;
    if (!armed_) return;
    disarm();
    arm();
}

void PressureMonitor::arm() {
    if (armed_) return;
    armed_ = true;
    if (config_.cpu_stall_ms > 0) arm_one("cpu", config_.cpu_pressure, config_.cpu_stall_ms);
    if (config_.memory_stall_ms > 0) arm_one("memory", config_.memory_pressure, config_.memory_stall_ms);
    if (watches_.empty()) log::warning("governor: no pressure trigger could be armed; the governor is deaf");
}

void PressureMonitor::arm_one(const std::string& resource, const std::string& configured, std::uint32_t stall_ms) {
    PressureFile file = choose_pressure_file(configured, resource, slice_dir_, proc_dir_);
    Trigger trigger = open_trigger(file.path, stall_ms * 1000, config_.window_ms * 1000);
    if (!trigger.fd) {
        log::warning("governor: ", resource, " pressure not watched: ", trigger.error);
        return;
    }
    auto watch = std::make_unique<Watch>(Watch{resource, file.path, std::move(trigger.fd), {}, this});
    // EPOLLPRI only: a pressure file is always readable, EPOLLIN would wake the loop forever.
    int r = sd_event_add_io(loop_, util::out_ptr(watch->source), watch->fd.get(), EPOLLPRI, on_pressure, watch.get());
    if (r < 0) {
        log::warning("governor: ", resource, " pressure not watched: cannot wait on ", file.path, ": ",
                     std::strerror(-r));
        return;
    }
    log::info("governor: watching ", resource, " pressure in ", file.path, " (", file.why, "): some ", stall_ms,
              " ms within ", config_.window_ms, " ms");
    watches_.push_back(std::move(watch));
}

void PressureMonitor::disarm() {
    watches_.clear();  // each Watch's source, then its trigger's fd
    armed_ = false;
}

std::vector<std::string> PressureMonitor::armed_paths() const {
    std::vector<std::string> out;
    for (const auto& w : watches_) out.push_back(w->path);
    return out;
}

int PressureMonitor::on_pressure(sd_event_source* source, int, uint32_t revents, void* opaque) {
    auto* watch = static_cast<Watch*>(opaque);
    if (revents & EPOLLERR) {
        // The file went away (its cgroup was removed): stop listening to it, say so once.
        log::warning("governor: ", watch->path, " reported an error; ", watch->resource, " pressure no longer watched");
        sd_event_source_set_enabled(source, SD_EVENT_OFF);
        return 0;
    }
    if (revents & EPOLLPRI) watch->owner->sink_(PressureStall{watch->resource});
    return 0;
}

}  // namespace hotseat::pressure
