// hotseat-hook installed where libvirtd runs it. Without it a plain `virsh start` gets no
// hugepages and no console handoff. Where that is depends on how libvirt was built: its
// sysconfdir is /etc on most distributions and /var/lib on NixOS (host_files.h).
#include <sys/stat.h>
#include <unistd.h>

#include "checks.h"
#include "host_files.h"

namespace hotseat::ctl::doctor {

void check_hook(DoctorContext& context, Findings& out) {
    const bool given = !context.options().hook_path.empty();
    const DetectedPath detected = given ? DetectedPath{context.options().hook_path, "--hook"}
                                        : default_hook_path(context.options());
    const std::string& path = detected.path;
    const std::string install =
        (is_nixos(context.options())
             ? std::string("enable services.hotseat (the NixOS module links ") + path + " to hotseat-hook)"
             : "install hotseat (cmake --install links " + path + " to hotseat-hook)") +
        ", then restart libvirtd if the qemu.d directory is new: libvirtd looks for it only when it starts";
    Finding f{.check = "", .vm = "", .severity = Severity::Ok, .message = "", .fix = ""};
    struct stat link {
    }, target{};
    if (::lstat(path.c_str(), &link) != 0) {
        f.severity = Severity::Error;
        f.message = "the libvirt hook " + path + " is missing" + (given ? "" : " (" + detected.why + ")") +
                    ": hugepages and consoles are not prepared on start";
        f.fix = install;
    } else if (::stat(path.c_str(), &target) != 0) {
        f.severity = Severity::Error;
        f.message = "the libvirt hook " + path + " is a link to nothing";
        f.fix = install;
    } else if (!S_ISREG(target.st_mode) || (target.st_mode & 0111) == 0) {
        f.severity = Severity::Error;
        f.message = "the libvirt hook " + path + " is not an executable file: libvirtd skips it";
        f.fix = "chmod 0755 " + path;
    } else {
        f.message = "the libvirt hook is installed: " + path + (given ? "" : " (" + detected.why + ")");
    }
    out.push_back(std::move(f));
}

}  // namespace hotseat::ctl::doctor
