// Host processes holding a gpu device's DRM nodes (/dev/dri/cardN, renderDN): a media server
// transcoding on the iGPU (Jellyfin, Plex) or a compositor. Starting the VM unbinds the driver
// under them; their work fails. Best effort: without root only the caller's own processes can
// be looked at, and the finding says how many were not.
//
// A node is matched by device number (st_rdev) of the open file, so a container's own /dev
// node for the same device counts too; by inode as well, which is what identifies the file when
// umockdev's test bed stands in for /dev.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include "checks.h"
#include "gpus.h"
#include "host_files.h"
#include "pci_device.h"
#include "util/fd.h"

namespace hotseat::ctl::doctor {
namespace {

constexpr std::size_t kMaxProcesses = 1 << 16;
constexpr std::size_t kMaxFdsPerProcess = 1 << 16;
constexpr std::size_t kMaxNamed = 8;  // processes named in the message; the rest are counted

struct Node {
    std::string name;  // "renderD128"
    struct stat st {};
};

bool same_file(const struct stat& a, const struct stat& b) {
    if (S_ISCHR(a.st_mode) && S_ISCHR(b.st_mode)) return a.st_rdev == b.st_rdev;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool numeric(const char* name) {
    if (!*name) return false;
    for (const char* c = name; *c; ++c)
        if (*c < '0' || *c > '9') return false;
    return true;
}

struct Scan {
    std::map<std::string, std::vector<std::string>> users;  // "comm (pid N)" → the nodes it holds
    std::size_t processes = 0;
    std::size_t unreadable = 0;  // /proc/<pid>/fd not open to us
};

Scan scan(const DoctorOptions& options, const std::vector<Node>& nodes) {
    Scan result;
    const std::string proc = host_file(options, "/proc");
    util::Dir dir(::opendir(proc.c_str()));
    if (!dir) return result;
    while (dirent* entry = ::readdir(dir.get())) {
        if (!numeric(entry->d_name) || result.processes >= kMaxProcesses) continue;
        ++result.processes;
        const std::string pid = entry->d_name;
        const std::string fd_dir = proc + "/" + pid + "/fd";
        util::Dir fds(::opendir(fd_dir.c_str()));
        if (!fds) {
            if (errno == EACCES || errno == EPERM) ++result.unreadable;
            continue;  // ENOENT: it exited meanwhile
        }
        std::size_t seen = 0;
        std::vector<std::string> held;
        while (dirent* fd = ::readdir(fds.get())) {
            if (!numeric(fd->d_name) || ++seen > kMaxFdsPerProcess) continue;
            struct stat st {};
            if (::stat((fd_dir + "/" + fd->d_name).c_str(), &st) != 0) continue;
            for (const auto& node : nodes)
                if (same_file(st, node.st) && std::find(held.begin(), held.end(), node.name) == held.end())
                    held.push_back(node.name);
        }
        if (held.empty()) continue;
        std::string comm = read_host_file(proc + "/" + pid + "/comm", 64).value_or("?");
        while (!comm.empty() && (comm.back() == '\n' || comm.back() == '\r')) comm.pop_back();
        result.users[comm + " (pid " + pid + ")"] = held;
    }
    return result;
}

Finding finding(Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = "", .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

Finding dri_users(const DoctorOptions& options, const GpuUse& gpu, const PciDevice& d) {
    if (!gpu.holder.empty())
        return finding(Severity::Ok,
                       d.address + " is with the running VM " + gpu.holder + ": no host process holds it");
    std::vector<Node> nodes;
    for (const auto& name : d.drm) {
        Node node{name, {}};
        if (::stat(("/dev/dri/" + name).c_str(), &node.st) == 0) nodes.push_back(node);
    }
    if (nodes.empty()) return finding(Severity::Ok, d.address + " has no DRM device nodes now: no process can hold it");
    Scan found = scan(options, nodes);
    const std::string partial = found.unreadable == 0 ? ""
                                                      : "; " + std::to_string(found.unreadable) + " of " +
                                                            std::to_string(found.processes) +
                                                            " processes could not be looked at (not root)";
    if (found.users.empty())
        return finding(Severity::Ok, "no process holds /dev/dri nodes of " + d.address + " (looked at " +
                                         std::to_string(found.processes) + " processes" + partial + ")");
    std::vector<std::string> named;
    for (const auto& [who, held] : found.users) {
        if (named.size() == kMaxNamed) {
            named.push_back(std::to_string(found.users.size() - kMaxNamed) + " more");
            break;
        }
        std::string list;
        for (const auto& node : held) list += (list.empty() ? "" : ", ") + node;
        named.push_back(who + ": " + list);
    }
    return finding(Severity::Warning,
                   "processes hold /dev/dri nodes of " + d.address + ": " + joined(named) +
                       "; starting a VM with it cuts them off (hardware transcoding, a desktop session)" + partial,
                   "stop them or move their work off this GPU before the VM starts (fuser -v /dev/dri/*); "
                   "hotseat does not stop them");
}

}  // namespace

void check_dri_users(DoctorContext& context, Findings& out) {
    for (const auto& gpu : configured_gpus(context)) {
        PciDevice d = read_pci_device(gpu.address);
        if (d.exists && d.display()) out.push_back(dri_users(context.options(), gpu, d));
    }
}

}  // namespace hotseat::ctl::doctor
