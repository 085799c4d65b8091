// hotseat-libvirt-sandbox ROOT [CACHE_DIR]: holds the private mount namespace of a sandboxed
// libvirtd (see libvirt_sandbox.h) and is the parent of everything in it. It is a child subreaper, so QEMU,
// which libvirtd daemonises, is reparented here and reaped at once (PID 1 on the build machine
// reaps orphans only every ~2 s, and libvirt waits for a killed QEMU to vanish).
//
// Signals are its protocol: SIGUSR2 starts libvirtd when none runs; SIGTERM, SIGINT or the death
// of its parent kill every process in the sandbox, reap them and exit, which ends the namespace
// and with it every mount. ROOT/libvirtd.pid holds the running libvirtd's pid (absent while none
// runs); libvirtd's output is appended to ROOT/libvirtd.log.
//
// With HOTSEAT_SANDBOX_POLKIT=1 (libvirtd.conf then says access_drivers = [ "polkit" ]) it first
// starts a dbus-daemon (ROOT/polkit/bus.conf, listening on ROOT/run/polkit-bus) and polkitd on
// it, both inside the namespace, where polkit's directories are the sandbox's (polkit_mounts) and
// the user `hotseat` exists; libvirtd gets that bus as its system bus.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "process.h"
#include "sandbox_mounts.h"

namespace {

using hotseat::test::write_file;

void say(const std::string& what) { std::cout << "sandbox: " << what << std::endl; }

sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR2}) sigaddset(&set, s);
    return set;
}

// Everything whose parent is this process, read from /proc (orphans included: we are their reaper).
std::vector<pid_t> children() {
    std::vector<pid_t> out;
    DIR* proc = opendir("/proc");
    if (!proc) return out;
    const std::string self = std::to_string(getpid());
    while (dirent* e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream status(std::string("/proc/") + e->d_name + "/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("PPid:", 0) == 0) {
                if (line.substr(line.find_first_not_of(" \t", 5)) == self) out.push_back(std::stoi(e->d_name));
                break;
            }
    }
    closedir(proc);
    return out;
}

class Holder {
public:
    Holder(std::string root, bool polkit) : root_(std::move(root)), polkit_(polkit) {}

    void start_polkit();
    void start_libvirtd();
    void reap();
    void teardown();

private:
    [[noreturn]] void exec_libvirtd();

    pid_t spawn(const char* what, std::vector<std::string> argv, std::vector<std::string> env);

    std::string root_;
    bool polkit_ = false;
    pid_t libvirtd_ = 0;
};

std::string polkit_bus(const std::string& root) { return "unix:path=" + root + "/run/polkit-bus"; }

// A child with its output appended to ROOT/polkit/<what>.log and exactly `env`.
pid_t Holder::spawn(const char* what, std::vector<std::string> argv, std::vector<std::string> env) {
    pid_t pid = fork();
    if (pid != 0) {
        if (pid < 0)
            say(std::string("fork: ") + std::strerror(errno));
        else
            say(std::string(what) + " started, pid " + std::to_string(pid));
        return pid;
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int log = open((root_ + "/polkit/" + what + ".log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log >= 0) dup2(log, 1), dup2(log, 2);
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(args[0], args.data(), envp.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
}

void Holder::start_polkit() {
    const std::string path = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
    spawn("dbus-daemon",
          {"/usr/bin/dbus-daemon", "--config-file=" + root_ + "/polkit/bus.conf", "--nofork", "--nopidfile"},
          {path, "LC_ALL=C"});
    // polkitd connects at once and exits when the bus is not there yet: wait for the socket.
    for (int i = 0; i < 500 && access((root_ + "/run/polkit-bus").c_str(), F_OK) != 0; ++i) usleep(10000);
    spawn("polkitd", {"/usr/lib/polkit-1/polkitd", "--no-debug"},
          {path, "LC_ALL=C", "DBUS_SYSTEM_BUS_ADDRESS=" + polkit_bus(root_)});
}

void Holder::start_libvirtd() {
    if (libvirtd_ > 0) return;
    unlink((root_ + "/run/libvirt-sock").c_str());  // a killed daemon leaves its socket behind
    pid_t pid = fork();
    if (pid < 0) {
        say(std::string("fork: ") + std::strerror(errno));
        return;
    }
    if (pid == 0) exec_libvirtd();
    libvirtd_ = pid;
    write_file(root_ + "/libvirtd.pid.new", std::to_string(pid) + "\n");
    rename((root_ + "/libvirtd.pid.new").c_str(), (root_ + "/libvirtd.pid").c_str());
    say("libvirtd started, pid " + std::to_string(pid));
}

void Holder::exec_libvirtd() {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int log = open((root_ + "/libvirtd.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log >= 0) dup2(log, 1), dup2(log, 2);
    if (null >= 0) dup2(null, 0);
    // Its pid file inside the sandbox's /run/libvirt: the default /run/libvirtd.pid is shared
    // with every other sandbox (and a host libvirtd), and a second libvirtd would fail to lock it.
    const char* argv[] = {"libvirtd", "--pid-file", "/run/libvirt/libvirtd.pid", nullptr};
    const std::string bus = "DBUS_SYSTEM_BUS_ADDRESS=" + polkit_bus(root_);
    const char* envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "HOME=/root",
                          polkit_ ? bus.c_str() : nullptr, nullptr};
    execve("/usr/sbin/libvirtd", const_cast<char**>(argv), const_cast<char**>(envp));
    std::fprintf(stderr, "exec /usr/sbin/libvirtd: %s\n", std::strerror(errno));
    _exit(127);
}

void Holder::reap() {
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
        if (pid != libvirtd_) continue;
        libvirtd_ = 0;
        unlink((root_ + "/libvirtd.pid").c_str());
        say("libvirtd exited (" +
            std::string(WIFSIGNALED(status) ? strsignal(WTERMSIG(status))
                                            : "status " + std::to_string(WEXITSTATUS(status))) +
            ")");
    }
}

void Holder::teardown() {
    // Kill until nothing is left: a QEMU whose libvirtd dies is reparented to us meanwhile.
    for (int round = 0; round < 100; ++round) {
        auto pids = children();
        if (pids.empty()) break;
        for (pid_t pid : pids) kill(pid, SIGKILL);
        for (pid_t pid : pids) waitpid(pid, nullptr, 0);
    }
    reap();
    unlink((root_ + "/libvirtd.pid").c_str());
    say("torn down");
}

int run(const std::string& root, const std::string& cache_dir) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // the test dying takes the sandbox with it
    if (getppid() == 1) {
        say("the parent is already gone: not starting");
        return 1;
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    sigset_t signals = handled_signals();
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    int fd = signalfd(-1, &signals, SFD_CLOEXEC);
    if (fd < 0) throw std::runtime_error("signalfd failed");

    const char* polkit_env = std::getenv("HOTSEAT_SANDBOX_POLKIT");
    const bool polkit = polkit_env && std::string(polkit_env) == "1";
    auto mounts = hotseat::test::sandbox::libvirt_mounts(root, cache_dir);
    for (auto& m : hotseat::test::sandbox::account_mounts(root, polkit)) mounts.push_back(m);
    if (polkit)
        for (auto& m : hotseat::test::sandbox::polkit_mounts(root)) mounts.push_back(m);
    hotseat::test::sandbox::enter_private_namespace(mounts);
    say("mount namespace ready (" + std::to_string(mounts.size()) + " bind mounts)");
    if (const char* hugetlbfs = std::getenv("HOTSEAT_SANDBOX_HUGETLBFS")) {
        hotseat::test::sandbox::mount_hugetlbfs(hugetlbfs);
        say(std::string("hugetlbfs mounted at ") + hugetlbfs);
    }

    Holder holder(root, polkit);
    if (polkit) holder.start_polkit();
    holder.start_libvirtd();
    for (;;) {
        signalfd_siginfo info{};
        if (read(fd, &info, sizeof info) != sizeof info) continue;
        if (info.ssi_signo == SIGCHLD)
            holder.reap();
        else if (info.ssi_signo == SIGUSR2)
            holder.start_libvirtd();
        else
            break;
    }
    holder.teardown();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3 || argv[1][0] != '/' || (argc == 3 && argv[2][0] != '/')) {
        std::cerr << "usage: hotseat-libvirt-sandbox /ABSOLUTE/ROOT [/ABSOLUTE/CACHE_DIR]\n";
        return 2;
    }
    try {
        return run(argv[1], argc == 3 ? argv[2] : "");
    } catch (const std::exception& e) {
        std::cerr << "hotseat-libvirt-sandbox: " << e.what() << "\n";
        return 1;
    }
}
