#include "sandbox_mounts.h"

#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "process.h"

namespace hotseat::test::sandbox {
namespace {

constexpr unsigned kQemuId = 64055;  // Debian's libvirt-qemu uid/gid

void check(int r, const std::string& what) {
    if (r != 0) throw std::system_error(errno, std::generic_category(), what);
}

std::string with_text(std::string text, const std::string& line) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    return text + line + "\n";
}

}  // namespace

std::vector<BindMount> libvirt_mounts(const std::string& root, const std::string& cache_dir) {
    return {{root + "/etc", "/etc/libvirt"},
            {root + "/run", "/run/libvirt"},
            {root + "/lib", "/var/lib/libvirt"},
            {root + "/log", "/var/log/libvirt"},
            {cache_dir.empty() ? root + "/cache" : cache_dir, "/var/cache/libvirt"}};
}

std::vector<BindMount> account_mounts(const std::string& root, bool hotseat_user) {
    const bool need_qemu = getpwnam("libvirt-qemu") == nullptr;
    const bool need_hotseat = hotseat_user && getpwnam("hotseat") == nullptr;
    if (!need_qemu && !need_hotseat) return {};
    std::string passwd = read_file("/etc/passwd"), group = read_file("/etc/group");
    if (need_qemu) {
        const std::string id = std::to_string(kQemuId);
        passwd = with_text(passwd, "libvirt-qemu:x:" + id + ":" + id +
                                       ":Libvirt Qemu (hotseat sandbox):/var/lib/libvirt:/usr/sbin/nologin");
        if (!getgrnam("libvirt-qemu")) group = with_text(group, "libvirt-qemu:x:" + id + ":");
    }
    if (need_hotseat) {
        const std::string id = std::to_string(hotseat_uid());
        passwd = with_text(passwd, "hotseat:x:" + id + ":" + id + ":hotseat (hotseat sandbox):/:/usr/sbin/nologin");
        if (!getgrnam("hotseat")) group = with_text(group, "hotseat:x:" + id + ":");
    }
    write_file(root + "/passwd", passwd);
    write_file(root + "/group", group);
    return {{root + "/passwd", "/etc/passwd"}, {root + "/group", "/etc/group"}};
}

unsigned hotseat_uid() {
    if (const passwd* user = getpwnam("hotseat")) return user->pw_uid;
    unsigned uid = 64100;
    while (getpwuid(uid) != nullptr || getgrgid(uid) != nullptr) ++uid;
    return uid;
}

std::vector<BindMount> polkit_mounts(const std::string& root) {
    return {{root + "/polkit/actions", "/usr/share/polkit-1/actions"},
            {root + "/polkit/rules.d", "/etc/polkit-1/rules.d"},
            {root + "/polkit/vendor-rules.d", "/usr/share/polkit-1/rules.d"}};
}

void enter_private_namespace(const std::vector<BindMount>& mounts) {
    check(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");
    // Without this, every bind below would propagate back to the host's shared mounts.
    check(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make / private");
    for (const auto& m : mounts) {
        std::error_code ec;
        if (!std::filesystem::exists(m.target)) std::filesystem::create_directories(m.target, ec);
        check(mount(m.source.c_str(), m.target.c_str(), nullptr, MS_BIND, nullptr),
              "bind " + m.source + " over " + m.target);
    }
}

void mount_hugetlbfs(const std::string& directory) {
    check(mount("hugetlbfs", directory.c_str(), "hugetlbfs", MS_NOSUID | MS_NODEV, "pagesize=2M"),
          "mount hugetlbfs at " + directory);
}

}  // namespace hotseat::test::sandbox
