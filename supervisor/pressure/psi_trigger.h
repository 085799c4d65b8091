// Pressure stall information (PSI) triggers, the kernel's event-driven pressure notice
// (Documentation/accounting/psi.rst): write "some <stall µs> <window µs>" to a pressure file
// opened read-write and non-blocking, then wait for POLLPRI on it. No polling: the kernel wakes
// the fd at most once a window, and only while the stall exceeds the threshold.
#pragma once

#include <cstdint>
#include <string>

#include "util/fd.h"

namespace hotseat::pressure {

inline constexpr const char* kSliceDir = "/sys/fs/cgroup/system.slice";  // the host's services
inline constexpr const char* kProcDir = "/proc/pressure";                // the whole machine

// The pressure file to watch for `resource` ("cpu", "memory"): the configured path when one is
// given; else the services' slice (`slice_dir`/<resource>.pressure, cgroup v2) when it exists
// and this user may write it; else the system-wide `proc_dir`/<resource>.
struct PressureFile {
    std::string path;
    std::string why;  // "configured", "the services' slice", "system-wide (no <slice file>)"
};
PressureFile choose_pressure_file(const std::string& configured, const std::string& resource,
                                  const std::string& slice_dir = kSliceDir, const std::string& proc_dir = kProcDir);

// True when `fd` is a file of procfs or cgroup2, where PSI files live.
bool is_pressure_filesystem(int fd);

// An armed trigger: the fd to wait on (POLLPRI), or none with the reason. Only a file on procfs or
// cgroup2 is written to; anything else is refused before a byte is written.
struct Trigger {
    util::UniqueFd fd;
    std::string error;
};
Trigger open_trigger(const std::string& path, std::uint32_t stall_us, std::uint32_t window_us);

}  // namespace hotseat::pressure
