#include "pressure/psi_trigger.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hotseat::pressure {
namespace {

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

std::string explain(int error, const std::string& path) {
    std::string text = std::strerror(error);
    if (error == EACCES || error == EPERM) text += " (writing a trigger needs write access to " + path + ")";
    if (error == EINVAL)
        text += " (without CAP_SYS_RESOURCE the window must be a multiple of 2 s; the stall at most the window)";
    if (error == EOPNOTSUPP) text += " (PSI is disabled: boot with psi=1)";
    return text;
}

}  // namespace

bool is_pressure_filesystem(int fd) {
    struct statfs fs {};
    if (fstatfs(fd, &fs) != 0) return false;
    return fs.f_type == PROC_SUPER_MAGIC || fs.f_type == CGROUP2_SUPER_MAGIC;
}

PressureFile choose_pressure_file(const std::string& configured, const std::string& resource,
                                  const std::string& slice_dir, const std::string& proc_dir) {
    if (!configured.empty()) return {configured, "configured"};
    std::string slice_file = slice_dir + "/" + resource + ".pressure";
    std::string fallback = proc_dir + "/" + resource;
    if (!exists(slice_file)) return {fallback, "system-wide (no " + slice_file + ")"};
    // cgroup files are root's: the shipped unit's dedicated user cannot arm a trigger on them.
    if (access(slice_file.c_str(), W_OK) != 0)
        return {fallback, "system-wide (" + slice_file + " is not writable for this user)"};
    return {slice_file, "the services' slice"};
}

Trigger open_trigger(const std::string& path, std::uint32_t stall_us, std::uint32_t window_us) {
    util::UniqueFd fd(open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return {{}, "cannot open " + path + ": " + explain(errno, path)};
    // The config loader accepts only PSI paths; this makes sure the kernel's PSI is what gets
    // the write, whatever is mounted or linked there (docs/robustness.md, "Threat model").
    if (!is_pressure_filesystem(fd.get()))
        return {{}, "refusing " + path + ": not a PSI file (neither procfs nor cgroup2); nothing written"};
    std::string spec = "some " + std::to_string(stall_us) + " " + std::to_string(window_us);
    // The kernel parses the written bytes as a string: send the terminating NUL too.
    if (write(fd.get(), spec.c_str(), spec.size() + 1) < 0)
        return {{}, "cannot arm \"" + spec + "\" on " + path + ": " + explain(errno, path)};
    return {std::move(fd), {}};
}

}  // namespace hotseat::pressure
