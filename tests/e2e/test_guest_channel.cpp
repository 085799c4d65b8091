// The guest channel end to end: the tiny guest's init speaks on a real virtio-serial port
// (org.hotseat.guest.0, virtio_console in the guest kernel) backed by a unix socket QEMU listens
// on; hotseatd finds the socket in the live domain XML, connects, and acts on what it hears.
#include <grp.h>
#include <sys/socket.h>
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

// errno of connect(2) to `path` as `uid` (0 when it connected), from a child process.
int connect_errno_as(uid_t uid, const std::string& path) {
    pid_t child = ::fork();
    if (child == 0) {
        ::setgroups(0, nullptr);
        if (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) ::_exit(254);
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        int r = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
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
// fires after idle_timeout_s and the rule stops the VM.
TEST_F(E2e, IdleGuestIsStoppedAfterTheIdleTimeout) {
    Stopwatch watch("guest-idle");
    ScenarioOptions options = with_channel(dir_, "idle");
    // The tiny guest idles at 2-4 % CPU; while it boots it takes 100 % of its vCPU, or about half
    // of that when the host is busy (TCG): at 50 % a slow boot looked idle and was stopped before
    // its helper said hello.
    options.vm_keys = "guest_channel = true\nidle_timeout_s = 10\nidle_cpu_percent = 20\n";
    options.rules = "\n[[rule]]\nname = \"idle-stop\"\non = \"vm.idle\"\naction = \"stop\"\nvm = \"e2e-guest\"\n";
    ASSERT_NO_FATAL_FAILURE(start(options));
    watch.lap("setup");
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    auto running = std::chrono::steady_clock::now();
    watch.lap("plug->running");
    ASSERT_TRUE(wait_until([&] { return vm_property(bus_.address(), kVmPath, "GuestHelper") == "e2e-init"; }, 30s))
        << "GuestHelper is " << vm_property(bus_.address(), kVmPath, "GuestHelper") << "\n" << daemon_->log();
    watch.lap("running->hello");
    // The socket real libvirtd made in the guest channel directory: the daemon's user may
    // connect (the default ACL), anyone else may not.
    const std::string socket = options.guest.channel_socket;
    EXPECT_EQ(connect_errno_as(kDaemonUser, socket), 0) << std::strerror(connect_errno_as(kDaemonUser, socket));
    EXPECT_EQ(connect_errno_as(kSomeoneElse, socket), EACCES);
    // hotseatctl doctor asks hotseatd on the bus: the helper's hello is what it reports.
    int doctor_status = -1;
    std::string doctor = run_capture({HOTSEATCTL_PATH, "doctor", "--config", dir_.file("hotseat.toml")},
                                     &doctor_status, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}});
    EXPECT_NE(doctor.find("the guest helper (e2e-init) said hello"), std::string::npos) << doctor;
    EXPECT_NE(doctor.find("the domain has the guest channel org.hotseat.guest.0"), std::string::npos) << doctor;
    ASSERT_TRUE(state_becomes("stopping", 40s)) << "State is " << state() << "\n" << daemon_->log();
    auto idle_after = std::chrono::steady_clock::now() - running;
    watch.lap("hello->idle");
    EXPECT_GE(idle_after, 10s) << "idle before idle_timeout_s";
    EXPECT_EQ(reason(), "idle-stop");
    ASSERT_TRUE(state_becomes("off", 15s)) << "State is " << state();
    EXPECT_EQ(vm_property(bus_.address(), kVmPath, "GuestHelper"), "");
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
