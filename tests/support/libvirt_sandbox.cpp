#include "libvirt_sandbox.h"

#include <sys/stat.h>
#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "sandbox_mounts.h"

namespace hotseat::test {
namespace {

// libvirtd as root, reachable by root only (with polkit: by anyone, and polkit decides what
// each may do), quiet unless something goes wrong.
std::string libvirtd_conf(bool polkit) {
    return std::string(
               "# hotseat test sandbox (tests/support/libvirt_sandbox.cpp)\n"
               "unix_sock_group = \"root\"\n") +
           (polkit ? "unix_sock_rw_perms = \"0777\"\naccess_drivers = [ \"polkit\" ]\n"
                   : "unix_sock_rw_perms = \"0700\"\n") +
           "auth_unix_ro = \"none\"\n"
           "auth_unix_rw = \"none\"\n"
           "log_outputs = \"3:stderr\"\n";
}

// The sandbox's own system bus for polkitd and libvirtd alone: anyone may do anything on it.
std::string polkit_bus_conf(const std::string& root) {
    return "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN\"\n"
           " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
           "<busconfig>\n"
           "  <type>system</type>\n"
           "  <listen>unix:path=" +
           root +
           "/run/polkit-bus</listen>\n"
           "  <auth>EXTERNAL</auth>\n"
           "  <policy context=\"default\">\n"
           "    <allow user=\"*\"/>\n"
           "    <allow own=\"*\"/>\n"
           "    <allow send_destination=\"*\"/>\n"
           "    <allow send_type=\"method_call\"/>\n"
           "    <allow receive_sender=\"*\"/>\n"
           "    <allow receive_type=\"*\"/>\n"
           "  </policy>\n"
           "</busconfig>\n";
}

// QEMU as root (the sandbox has no libvirt-qemu home), touching nothing of the host: no
// cgroups, no security labels, no per-domain mount namespace, no ownership changes to the
// kernel and initramfs, its stderr to a plain file instead of virtlogd.
constexpr const char* kQemuConf =
    "# hotseat test sandbox (tests/support/libvirt_sandbox.cpp)\n"
    "user = \"root\"\n"
    "group = \"root\"\n"
    "dynamic_ownership = 0\n"
    "remember_owner = 0\n"
    "security_driver = \"none\"\n"
    "namespaces = [ ]\n"
    "cgroup_controllers = [ ]\n"
    "stdio_handler = \"file\"\n";

const std::string kCleanPath = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

bool accepts(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

pid_t pid_from_file(const std::string& path) {
    std::string text = read_file(path);
    if (text.empty()) return 0;
    try {
        pid_t pid = static_cast<pid_t>(std::stol(text));
        return pid > 0 && ::kill(pid, 0) == 0 ? pid : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

std::string mount_namespace_of(pid_t pid) {
    std::error_code ec;
    auto link = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/mnt", ec);
    return ec ? std::string() : link.string();
}

}  // namespace

LibvirtSandbox::LibvirtSandbox() : LibvirtSandbox(Options{}) {}

LibvirtSandbox::LibvirtSandbox(Options options) : options_(std::move(options)) {
    write_configuration();
    std::vector<std::string> argv{// env -i: the holder and libvirtd must not inherit umockdev's
                                  // preload or the test's bus.
                                  "env", "-i", kCleanPath, "LC_ALL=C", HOTSEAT_LIBVIRT_SANDBOX_PATH, root()};
    if (options_.hugetlbfs) argv.insert(argv.begin() + 4, "HOTSEAT_SANDBOX_HUGETLBFS=" + hugetlbfs_dir());
    if (!options_.polkit_rules.empty()) argv.insert(argv.begin() + 4, "HOTSEAT_SANDBOX_POLKIT=1");
    if (!options_.cache_dir.empty()) argv.push_back(options_.cache_dir);
    holder_ = std::make_unique<Process>(
        Process::Options{.argv = argv, .env = {}, .output_file = root() + "/sandbox.log"});
    if (!wait_accepting(std::chrono::seconds(15)))
        throw std::runtime_error("the sandboxed libvirtd did not come up\n" + logs());
    namespace_id_ = mount_namespace_of(holder_->pid());
    if (!options_.polkit_rules.empty() && !wait_polkit(std::chrono::seconds(15)))
        throw std::runtime_error("the sandbox's polkitd did not come up\n" + logs());
}

bool LibvirtSandbox::wait_polkit(std::chrono::milliseconds timeout) const {
    return wait_until(
        [&] {
            int status = -1;
            std::string out = run_capture(
                {"busctl", "--address=" + polkit_bus(), "call", "org.freedesktop.DBus", "/org/freedesktop/DBus",
                 "org.freedesktop.DBus", "NameHasOwner", "s", "org.freedesktop.PolicyKit1"},
                &status);
            return status == 0 && out.find("true") != std::string::npos;
        },
        timeout);
}

std::string LibvirtSandbox::polkit_actions_dir() {
    const char* env = std::getenv("HOTSEAT_E2E_CACHE");
    return std::string(env && *env ? env : "/var/cache/hotseat-e2e") + "/libvirt-polkit";
}

unsigned LibvirtSandbox::hotseat_uid() const { return sandbox::hotseat_uid(); }

std::string LibvirtSandbox::virsh_as_hotseat(const std::vector<std::string>& args, int* status) const {
    const std::string id = std::to_string(hotseat_uid());
    Process::Options options{{"setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups", "env", "-i", kCleanPath,
                              "LC_ALL=C", "HOME=/", "virsh", "-q", "-c", uri()},
                             {},
                             root() + "/virsh-hotseat.out"};
    for (const auto& a : args) options.argv.push_back(a);
    Process virsh(options);
    int code = virsh.wait(std::chrono::seconds(30));
    if (status) *status = code;
    return virsh.output();
}

LibvirtSandbox::~LibvirtSandbox() { stop(); }

void LibvirtSandbox::write_configuration() const {
    for (const char* sub : {"etc", "run", "lib", "log", "cache"})
        std::filesystem::create_directories(root() + "/" + sub);
    if (!options_.cache_dir.empty()) std::filesystem::create_directories(options_.cache_dir);
    // Hooks are looked for in etc/hooks; qemu.d must exist when libvirtd starts to be watched.
    std::filesystem::create_directories(root() + "/etc/hooks/qemu.d");
    const bool polkit = !options_.polkit_rules.empty();
    write_file(root() + "/etc/libvirtd.conf",
               libvirtd_conf(polkit) + (options_.server_keepalive ? "" : "keepalive_interval = -1\n"));
    if (polkit) write_polkit_configuration();
    std::string qemu_conf = kQemuConf;
    if (options_.hugetlbfs) {
        std::filesystem::create_directories(hugetlbfs_dir());
        qemu_conf += "hugetlbfs_mount = \"" + hugetlbfs_dir() + "\"\n";
    }
    write_file(root() + "/etc/qemu.conf", qemu_conf);
    if (!options_.qemu_hook_script.empty())
        write_file(root() + "/etc/hooks/qemu.d/hotseat", options_.qemu_hook_script, 0755);
}

// polkitd may run as its own user: everything it reads is world-readable, and the way to the
// socket is open to `hotseat` too.
void LibvirtSandbox::write_polkit_configuration() const {
    ::chmod(root().c_str(), 0755);
    ::chmod((root() + "/run").c_str(), 0755);
    for (const char* sub : {"polkit/actions", "polkit/rules.d", "polkit/vendor-rules.d"})
        std::filesystem::create_directories(root() + "/" + sub);
    for (const char* file : {"org.libvirt.api.policy", "org.libvirt.unix.policy"}) {
        const std::string from = polkit_actions_dir() + "/" + file;
        if (!std::filesystem::exists(from))
            throw std::runtime_error(from +
                                     " is missing: scripts/setup unpacks libvirt's polkit actions there "
                                     "(scripts/fetch-libvirt-polkit)");
        std::filesystem::copy_file(from, root() + "/polkit/actions/" + file,
                                   std::filesystem::copy_options::overwrite_existing);
    }
    write_file(root() + "/polkit/rules.d/50-test.rules", options_.polkit_rules);
    write_file(root() + "/polkit/bus.conf", polkit_bus_conf(root()));
}

std::string LibvirtSandbox::uri() const { return "qemu:///system?socket=" + socket(); }

bool LibvirtSandbox::wait_accepting(std::chrono::milliseconds timeout) const {
    return wait_until([&] { return accepts(socket()) || !holder_->running(); }, timeout) && holder_->running() &&
           accepts(socket());
}

pid_t LibvirtSandbox::libvirtd_pid() const { return pid_from_file(root() + "/libvirtd.pid"); }

void LibvirtSandbox::kill_libvirtd() {
    pid_t pid = libvirtd_pid();
    if (pid == 0) return;
    ::kill(pid, SIGKILL);
    // The holder removes the pid file once it has reaped the daemon.
    if (!wait_until([&] { return !std::filesystem::exists(root() + "/libvirtd.pid"); }, std::chrono::seconds(10)))
        throw std::runtime_error("libvirtd (pid " + std::to_string(pid) + ") was not reaped\n" + logs());
}

void LibvirtSandbox::start_libvirtd() {
    if (!holder_ || !holder_->running()) throw std::runtime_error("the libvirt sandbox is not running\n" + logs());
    ::kill(holder_->pid(), SIGUSR2);
    if (!wait_accepting(std::chrono::seconds(15)))
        throw std::runtime_error("the restarted libvirtd did not come up\n" + logs());
}

pid_t LibvirtSandbox::qemu_pid(const std::string& domain) const {
    return pid_from_file(root() + "/run/qemu/" + domain + ".pid");
}

Process::Options LibvirtSandbox::virsh_command(const std::vector<std::string>& args,
                                               const std::string& output_file) const {
    Process::Options options{{"env", "-i", kCleanPath, "LC_ALL=C", "virsh", "-q", "-c", uri()}, {}, output_file};
    for (const auto& a : args) options.argv.push_back(a);
    return options;
}

std::string LibvirtSandbox::virsh(const std::vector<std::string>& args, int* status,
                                  std::chrono::milliseconds timeout) const {
    Process virsh(virsh_command(args, root() + "/virsh.out"));
    int code = virsh.wait(timeout);
    if (status) *status = code;
    return virsh.output();
}

void LibvirtSandbox::define(const std::string& domain_xml) const {
    const std::string file = root() + "/domain.xml";
    write_file(file, domain_xml);
    int status = 0;
    std::string out = virsh({"define", file}, &status);
    if (status != 0) throw std::runtime_error("virsh define failed: " + out + "\n" + logs());
}

void LibvirtSandbox::stop() {
    if (holder_) holder_->stop(SIGTERM, std::chrono::seconds(10));
}

std::vector<std::string> LibvirtSandbox::leftovers() const {
    auto found = namespace_id_.empty() ? std::vector<std::string>{} : processes_in_namespace(namespace_id_);
    // The binds live in the sandbox's namespace only; one seen here would have leaked to the host.
    std::istringstream mounts(read_file("/proc/self/mountinfo"));
    for (std::string line; std::getline(mounts, line);)
        if (line.find(root()) != std::string::npos) found.push_back("mount " + line);
    return found;
}

std::string LibvirtSandbox::logs() const {
    std::string out = "---- sandbox ----\n" + read_file(root() + "/sandbox.log") + "---- libvirtd ----\n" +
                      read_file(root() + "/libvirtd.log");
    if (!options_.polkit_rules.empty())
        out += "---- polkitd ----\n" + read_file(root() + "/polkit/polkitd.log") + "---- polkit bus ----\n" +
               read_file(root() + "/polkit/dbus-daemon.log");
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(root() + "/log/qemu", ec))
        out += "---- " + entry.path().filename().string() + " ----\n" + read_file(entry.path());
    return out;
}

std::vector<std::string> processes_in_namespace(const std::string& namespace_id) {
    std::vector<std::string> found;
    DIR* proc = opendir("/proc");
    if (!proc) return found;
    while (dirent* e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        pid_t pid = static_cast<pid_t>(std::stol(e->d_name));
        if (mount_namespace_of(pid) != namespace_id) continue;
        std::string comm = read_file("/proc/" + std::to_string(pid) + "/comm");
        if (!comm.empty() && comm.back() == '\n') comm.pop_back();
        found.push_back(std::to_string(pid) + " " + comm);
    }
    closedir(proc);
    return found;
}

}  // namespace hotseat::test
