// The guest channel end to end: the tiny guest's init speaks on a real virtio-serial port
// (org.hotseat.guest.0, virtio_console in the guest kernel) backed by a unix socket QEMU listens
// on; hotseatd finds the socket in the live domain XML, connects, and acts on what it hears.
#include <cstdlib>
#include <grp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "e2e_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

constexpr uid_t kDaemonUser = 65534;  // stands in for the user hotseat
constexpr uid_t kSomeoneElse = 65533;

// The guest channel directory as systemd/hotseat.tmpfiles makes /run/hotseat-guest: 0750
// root:<daemon's group>, with a default ACL giving the daemon's user read-write on what is made
// in it (docs/guest-channel.md). The socket in it is libvirtd's to create.
std::string guest_channel_dir(TempDir& dir) {
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));  // mkdtemp's 0700 would hide it all
    std::string channels = dir.file("hotseat-guest");
    std::filesystem::create_directory(channels);
    if (::chown(channels.c_str(), 0, kDaemonUser) != 0 || ::chmod(channels.c_str(), 0750) != 0)
        throw std::runtime_error("cannot prepare " + channels);
    int status = -1;
    run_capture({"setfacl", "-m", "default:user:" + std::to_string(kDaemonUser) + ":rw", channels}, &status);
    if (status != 0) throw std::runtime_error("setfacl failed on " + channels);
    return channels;
}

// errno of connect(2) to `path` as `uid` (0 when it connected), from a child process. The child
// makes raw system calls only: umockdev's preload wraps socket() and connect() behind a lock this
// process's other threads may hold at the fork, for ever in the child (tests/support/process.cpp).
int connect_errno_as(uid_t uid, const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    pid_t child = ::fork();
    if (child == 0) {
        ::setgroups(0, nullptr);
        if (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) ::_exit(254);
        int fd = static_cast<int>(::syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        int r = static_cast<int>(::syscall(SYS_connect, fd, &address, sizeof address));
        ::_exit(r == 0 || errno == EAGAIN || errno == EINPROGRESS ? 0 : errno);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

ScenarioOptions with_channel(TempDir& dir, const std::string& mode) {
    ScenarioOptions options;
    options.guest.channel_socket = guest_channel_dir(dir) + "/e2e-guest.sock";
    options.guest.channel_mode = mode;
    options.vm_keys = "guest_channel = true\nidle_timeout_min = 0\n";
    return options;
}

// The guest owns the monitor: only its helper sees the unplug, and the host's rule fires on it.
TEST_F(E2e, GuestReportedUnplugStopsTheVm) {
    Stopwatch watch("guest-channel-unplug");
    ASSERT_NO_FATAL_FAILURE(start(with_channel(dir_, "unplug")));
    watch.lap("setup");
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    watch.lap("plug->running");
    ASSERT_TRUE(serial_->wait_for(kGuestChannel, 1, 30s)) << "the guest never reached its channel";
    EXPECT_EQ(serial_->text().find("port=none"), std::string::npos) << serial_->text();
    ASSERT_TRUE(state_becomes("off", 30s)) << "State is " << state() << "\n" << daemon_->log();
    watch.lap("guest-channel->off");
    EXPECT_EQ(reason(), "desk-unplug");
    EXPECT_NE(daemon_->log().find("monitor.disconnected HDMI-A-1 (guest e2e-guest)"), std::string::npos)
        << daemon_->log();
    EXPECT_NE(daemon_->log().find("guest helper e2e-init said hello"), std::string::npos) << daemon_->log();
    EXPECT_EQ(serial_->count(kGuestAcpiPoweroff), 1u) << "not the graceful stop the rule asks for";
    // The host's own connector never changed: the guest's report alone did it.
    watch.print();
}

// Nobody at the guest (its helper says hello, never reports input) and its CPU idle: vm.idle
// fires after idle_timeout_s, the stop is announced (PendingStop) for warn_s, and nobody being
// there to keep it, the rule stops the VM. The helper speaks protocol 1: it hears nothing.
TEST_F(E2e, IdleGuestIsStoppedAfterTheIdleTimeout) {
    Stopwatch watch("guest-idle");
    ScenarioOptions options = with_channel(dir_, "idle");
    // The tiny guest idles at 2-4 % CPU; while it boots it takes 100 % of its vCPU, or about half
    // of that when the host is busy (TCG): at 50 % a slow boot looked idle and was stopped before
    // its helper said hello.
    options.vm_keys = "guest_channel = true\nidle_timeout_s = 10\nidle_cpu_percent = 20\nwarn_s = 5\n";
    options.rules = "\n[[rule]]\nname = \"idle-stop\"\non = \"vm.idle\"\naction = \"stop\"\nvm = \"e2e-guest\"\n";
    ASSERT_NO_FATAL_FAILURE(start(options));
    watch.lap("setup");
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    auto running = std::chrono::steady_clock::now();
    watch.lap("plug->running");
    ASSERT_TRUE(wait_until([&] { return vm_property(bus_.address(), kVmPath, "GuestHelper") == "e2e-init"; }, 30s))
        << "GuestHelper is " << vm_property(bus_.address(), kVmPath, "GuestHelper") << "\n"
        << daemon_->log();
    watch.lap("running->hello");
    // The socket real libvirtd made in the guest channel directory: the daemon's user may
    // connect (the default ACL), anyone else may not.
    const std::string socket = options.guest.channel_socket;
    EXPECT_EQ(connect_errno_as(kDaemonUser, socket), 0) << std::strerror(connect_errno_as(kDaemonUser, socket));
    EXPECT_EQ(connect_errno_as(kSomeoneElse, socket), EACCES);
    // hotseatctl doctor asks hotseatd on the bus: the helper's hello is what it reports.
    int doctor_status = -1;
    std::string doctor = run_capture({HOTSEATCTL_PATH, "doctor", "--config", dir_.file("hotseat.toml")}, &doctor_status,
                                     {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}});
    EXPECT_NE(doctor.find("the guest helper (e2e-init) said hello"), std::string::npos) << doctor;
    EXPECT_NE(doctor.find("the domain has the guest channel org.hotseat.guest.0"), std::string::npos) << doctor;
    ASSERT_TRUE(wait_until([&] { return vm_property(bus_.address(), kVmPath, "PendingStop").rfind("0 ", 0) != 0; }, 40s))
        << "no stop announced: " << vm_property(bus_.address(), kVmPath, "PendingStop") << "\n"
        << daemon_->log();
    auto idle_after = std::chrono::steady_clock::now() - running;
    watch.lap("hello->idle");
    EXPECT_GE(idle_after, 10s) << "idle before idle_timeout_s";
    EXPECT_EQ(state(), "running") << "the idle stop did not wait warn_s";
    ASSERT_TRUE(state_becomes("stopping", 20s)) << "State is " << state() << "\n" << daemon_->log();
    watch.lap("warning->stopping");
    EXPECT_GE(std::chrono::steady_clock::now() - running, 15s) << "stopped before idle_timeout_s + warn_s";
    EXPECT_EQ(reason(), "idle-stop");
    ASSERT_TRUE(state_becomes("off", 15s)) << "State is " << state();
    EXPECT_EQ(vm_property(bus_.address(), kVmPath, "GuestHelper"), "");
    watch.print();
}

// Protocol 2 on a real virtio-serial port: the guest's init says hello with protocol 2 and hears
// the host's answer; the idle stop is announced (PendingStop) and the guest, hearing stop-pending,
// answers postpone 600 as "Keep my desk" would; the stop moves out by about ten minutes (capped
// by max_postpone_s). A Stop on the bus then goes at once.
TEST_F(E2e, GuestHearsStopPendingAndPostponesIt) {
    Stopwatch watch("guest-postpone");
    ScenarioOptions options = with_channel(dir_, "postpone");
    options.vm_keys =
        "guest_channel = true\nidle_timeout_s = 10\nidle_cpu_percent = 20\nwarn_s = 120\n"
        "max_postpone_s = 900\n";
    options.rules = "\n[[rule]]\nname = \"idle-stop\"\non = \"vm.idle\"\naction = \"stop\"\nvm = \"e2e-guest\"\n";
    ASSERT_NO_FATAL_FAILURE(start(options));
    watch.lap("setup");
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    watch.lap("plug->running");
    ASSERT_TRUE(serial_->wait_for(
        "HOTSEAT-GUEST-HOST-LINE {\"host\":\"" HOTSEAT_VERSION "\",\"protocol\":2,\"type\":\"hello\"}", 1, 40s))
        << "the guest never heard the host's hello\n"
        << serial_->text() << "\n"
        << daemon_->log();
    watch.lap("running->host-hello");
    // PendingStop's deadline ("(tss) DEADLINE ..." without the type), and the wall clock.
    auto deadline = [&] {
        return std::strtoull(vm_property(bus_.address(), kVmPath, "PendingStop").c_str(), nullptr, 10);
    };
    auto wall_us = [] {
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count());
    };
    ASSERT_TRUE(wait_until([&] { return deadline() != 0; }, 40s)) << "no stop pending\n" << daemon_->log();
    watch.lap("hello->pending");
    ASSERT_TRUE(serial_->wait_for("\"type\":\"stop-pending\"", 1, 20s)) << serial_->text();
    EXPECT_NE(serial_->text().find("\"action\":\"stop\""), std::string::npos) << serial_->text();
    EXPECT_NE(serial_->text().find("\"reason\":\"idle (rule idle-stop)\""), std::string::npos) << serial_->text();
    // warn_s is 120 s; the guest's postpone 600 makes it about ten minutes from now (it answers at
    // once, so the first deadline may be gone before it can be read).
    ASSERT_TRUE(wait_until([&] { return deadline() > wall_us() + 300'000'000ull; }, 20s))
        << "PendingStop " << vm_property(bus_.address(), kVmPath, "PendingStop") << "\n"
        << daemon_->log();
    watch.lap("pending->postponed");
    EXPECT_LE(deadline(), wall_us() + 600'000'000ull);
    EXPECT_NE(daemon_->log().find("e2e-guest: the guest postponed the pending stop"), std::string::npos)
        << daemon_->log();
    EXPECT_EQ(state(), "running");
    // The host hears it again, moved (the guest prints every line it gets).
    ASSERT_TRUE(serial_->wait_for("\"type\":\"stop-pending\"", 2, 20s)) << serial_->text();

    int status = -1;
    run_capture({HOTSEATCTL_PATH, "stop", "e2e-guest"}, &status, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}});
    EXPECT_EQ(status, 0);
    ASSERT_TRUE(state_becomes("off", 30s)) << "State is " << state();
    EXPECT_EQ(reason(), "dbus:Stop uid=0");
    watch.lap("stop->off");
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
