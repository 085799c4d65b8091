// hotseat-hook installed where libvirtd runs it. Without it a plain `virsh start` gets no
// hugepages and no console handoff.
#include <sys/stat.h>
#include <unistd.h>

#include "checks.h"

namespace hotseat::ctl::doctor {

void check_hook(DoctorContext& context, Findings& out) {
    const std::string& path = context.options().hook_path;
    const std::string install = "install hotseat (cmake --install links " + path +
                                " to hotseat-hook), then restart libvirtd if the qemu.d directory is new: "
                                "libvirtd looks for it only when it starts";
    Finding f{.check = "", .vm = "", .severity = Severity::Ok, .message = "", .fix = ""};
    struct stat link {}, target {};
    if (::lstat(path.c_str(), &link) != 0) {
        f.severity = Severity::Error;
        f.message = "the libvirt hook " + path + " is missing: hugepages and consoles are not prepared on start";
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
        f.message = "the libvirt hook is installed: " + path;
    }
    out.push_back(std::move(f));
}

}  // namespace hotseat::ctl::doctor
