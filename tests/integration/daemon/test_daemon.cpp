// hotseatd as a process against an emulated machine: a umockdev testbed (Intel iGPU with
// card0-HDMI-A-1), a private system-like bus with the shipped policy, libvirt's test driver.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/effect_text.h"
#include "hotseatd_test.h"

namespace hotseat::test {
namespace {

const std::string kVm = "arch_2ddesktop";  // sd_bus_path_encode("arch-desktop")

std::string config_text(const std::string& libvirt_uri, bool guest_channel = false) {
    return supervisor_section(libvirt_uri) +
           "debounce_ms = 0\n"  // the plugs below come faster than a debounce window on a quiet machine
           "\n"
           "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\nshutdown_timeout_s = 5\n" +
           std::string(guest_channel ? "guest_channel = true\n" : "") +
           "\n"
           "[[vm]]\nname = \"already-running\"\n"
           "\n"
           "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\nconnector = \"HDMI-A-1\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n"
           "\n"
           "[[rule]]\nname = \"desk-unplug\"\non = \"monitor.disconnected\"\nconnector = \"HDMI-A-1\"\n"
           "action = \"stop\"\nvm = \"arch-desktop\"\n";
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
    return count;
}

class Daemon : public HotseatdTest {
protected:
    void SetUp() override {
        testbed_.add_intel_igpu();
        write_config(config_text(kTestDriverUri));
    }

    // Whether hotseatd asked libvirt to shut down or destroy any configured VM (its log names
    // every effect it executes; see DaemonProcess::executed).
    bool touched_a_vm() const {
        for (const char* vm : {"arch-desktop", "already-running"})
            if (daemon_->executed(DestroyDomain{vm}) || daemon_->executed(ShutdownDomain{vm})) return true;
        return false;
    }
};

TEST_F(Daemon, PlugStartsUnplugStops) {
    start_daemon();
    EXPECT_EQ(vm_state(bus_.address(), kVm), "off");

    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));
    EXPECT_EQ(vm_property(bus_.address(), kVm, "Reason"), "desk-monitor");
    EXPECT_EQ(vm_property(bus_.address(), kVm, "LastError"), "");

    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "off"));
    EXPECT_EQ(vm_property(bus_.address(), kVm, "Reason"), "desk-unplug");
    EXPECT_NE(daemon_->log().find("rule desk-unplug fired"), std::string::npos);
}

// A trigger's batch goes out in steps (docs/design.md, "Tell first, then work"): its State change,
// then its RuleFired and log lines, then its libvirt work, each once the bus daemon has passed on
// what went before; but a stopped bus daemon holds each step only for a moment: the start still
// reaches libvirt (the daemon logs each effect it hands over), and the bus catches up after.
TEST_F(Daemon, AStoppedBusDaemonDelaysAStartButDoesNotStopIt) {
    start_daemon();
    ASSERT_EQ(::kill(bus_.pid(), SIGSTOP), 0);
    testbed_.plug_monitor("HDMI-A-1");
    const bool handed_over = wait_until([&] { return daemon_->executed(StartDomain{"arch-desktop"}); },
                                        std::chrono::seconds(10));
    ASSERT_EQ(::kill(bus_.pid(), SIGCONT), 0);
    EXPECT_TRUE(handed_over) << "the start waited for a bus daemon that did not answer";
    EXPECT_TRUE(state_becomes(kVm, "running"));

    const std::string log = daemon_->log();
    auto at = [&](const std::string& what, std::size_t from = 0) {
        auto found = log.find(what, from);
        EXPECT_NE(found, std::string::npos) << what << " is not in the log after " << from << ":\n" << log;
        return found;
    };
    const std::string held = "until the bus daemon has passed on what went before";
    const auto state = at("effect: vm arch-desktop starting");
    const auto first_wait = at(held, state);
    const auto fired = at(
        "effect: " + effect_text(RuleFired{"desk-monitor", "monitor.connected HDMI-A-1", "arch-desktop", "start"}));
    const auto fired_line = at("rule desk-monitor fired on");
    const auto second_wait = at(held, fired);
    const auto start = at("effect: " + effect_text(StartDomain{"arch-desktop"}));
    EXPECT_LT(first_wait, fired) << log;
    EXPECT_LT(first_wait, fired_line) << log;
    EXPECT_LT(second_wait, start) << log;
}

// Signals that keep coming while a start waits for the bus daemon never hold it back for more
// than one more round: the start waits for its own batch's RuleFired to be passed on, not for
// every RuleFired after it. With the bus daemon stopped each round ends at its 100 ms timeout, and
// a USB device plugged in every round fires another rule (on the VM that already runs). A plug
// that came too late for its round leaves that round without a new signal: the start goes then.
TEST_F(Daemon, RulesFiringDuringTheWaitDoNotHoldAStartBack) {
    write_config(config_text(kTestDriverUri) +
                 "\n[[rule]]\nname = \"poke\"\non = \"device.added\"\nmatch = { ID_VENDOR_ID = \"feed\" }\n"
                 "action = \"start\"\nvm = \"already-running\"\n");
    start_daemon();
    ASSERT_EQ(::kill(bus_.pid(), SIGSTOP), 0);
    testbed_.plug_monitor("HDMI-A-1");
    auto started = [&] { return daemon_->executed(StartDomain{"arch-desktop"}); };
    auto pokes_told = [&] { return occurrences(daemon_->log(), "rule poke fired on"); };
    int rounds = 0;
    for (; rounds < 20 && !started(); ++rounds) {
        testbed_.add_usb_device("feed", "beef", "POKE" + std::to_string(rounds));
        // Its RuleFired goes out when the round it joined ends.
        if (!wait_until([&] { return started() || pokes_told() > static_cast<std::size_t>(rounds); })) break;
    }
    const bool handed_over = wait_until(started, std::chrono::seconds(10));
    ASSERT_EQ(::kill(bus_.pid(), SIGCONT), 0);
    EXPECT_TRUE(handed_over) << "the start waited through " << rounds << " rounds:\n" << daemon_->log();
    EXPECT_LE(rounds, 3) << daemon_->log();
}

TEST_F(Daemon, MonitorsPropertyFollowsTheConnector) {
    start_daemon();
    auto monitors = [&] { return manager_property(bus_.address(), "Monitors"); };
    EXPECT_EQ(monitors(), "1 \"HDMI-A-1\" \"disconnected\"");
    testbed_.plug_monitor("HDMI-A-1");
    EXPECT_TRUE(wait_until([&] { return monitors() == "1 \"HDMI-A-1\" \"connected\""; })) << monitors();
}

TEST_F(Daemon, DomainRunningAtStartupIsAdopted) {
    start_daemon();
    // READY=1 waits for libvirt's answer, so the adopted state is there at once.
    EXPECT_EQ(vm_state(bus_.address(), "already_2drunning"), "running");
    EXPECT_EQ(vm_property(bus_.address(), "already_2drunning", "Reason"), "adopted");
}

TEST_F(Daemon, ConnectorRemovalIsNotAnUnplug) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));
    testbed_.remove_connector("HDMI-A-1");  // i915 unbinding as the GPU goes to the VM
    ASSERT_TRUE(wait_until([&] { return daemon_->log().find("went away (driver unbind)") != std::string::npos; }));
    EXPECT_EQ(vm_state(bus_.address(), kVm), "running");
}

// Issue #15: the VM is stopped while the monitor stays plugged; the GPU comes back, i915
// re-registers the connector as `unknown` and its first probe reads `connected` with a HOTPLUG.
// That is not a plug: the VM must stay off (it used to start again at once).
TEST_F(Daemon, GpuComingBackIsNotAPlug) {
    start_daemon();
    auto monitors = [&] { return manager_property(bus_.address(), "Monitors"); };
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));
    testbed_.remove_connector("HDMI-A-1");  // i915 unbinds: the GPU goes to the VM
    ASSERT_TRUE(wait_until([&] { return monitors() == "0"; })) << monitors();
    ASSERT_EQ(call_vm(bus_.address(), kVm, "ForceStop"), 0);
    ASSERT_TRUE(state_becomes(kVm, "off"));

    testbed_.add_connector("HDMI-A-1", "unknown");  // i915 binds again, before its first probe
    ASSERT_TRUE(wait_until([&] { return monitors().find("HDMI-A-1") != std::string::npos; })) << monitors();
    EXPECT_EQ(monitors(), "1 \"HDMI-A-1\" \"unknown\"");
    testbed_.plug_monitor("HDMI-A-1");  // the first probe: `connected`, HOTPLUG=1 on the card
    ASSERT_TRUE(wait_until([&] { return monitors() == "1 \"HDMI-A-1\" \"connected\""; })) << monitors();
    // The rules ran in the same step that published the monitor: a start would show by now.
    EXPECT_EQ(vm_state(bus_.address(), kVm), "off");
    EXPECT_EQ(occurrences(daemon_->log(), "rule desk-monitor fired"), 1u) << daemon_->log();

    // The connector has settled: unplugging and plugging the monitor again is a real plug.
    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return monitors() == "1 \"HDMI-A-1\" \"disconnected\""; })) << monitors();
    testbed_.plug_monitor("HDMI-A-1");
    EXPECT_TRUE(state_becomes(kVm, "running"));
}

TEST_F(Daemon, SigtermExitsCleanlyAndLeavesVmsAlone) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));
    EXPECT_EQ(daemon_->process().stop(SIGTERM), 0);
    EXPECT_NE(daemon_->log().find("exiting, virtual machines are left as they are"), std::string::npos);
    EXPECT_TRUE(daemon_->notify().wait_for("STOPPING=1", std::chrono::seconds(2)));
    ASSERT_TRUE(daemon_->executed(StartDomain{"arch-desktop"})) << "the log does not name the effects it executes";
    EXPECT_FALSE(touched_a_vm()) << daemon_->log();
}

// What a batch holds back for the bus daemon's answer (docs/design.md, "Tell first, then work")
// still goes out when hotseatd stops: its log lines tell of what already happened. With the bus
// daemon stopped, the plug's log lines are held when SIGTERM comes (unless 100 ms passed first,
// when they are out anyway).
TEST_F(Daemon, SigtermWritesTheLogLinesItHeld) {
    start_daemon();
    ASSERT_EQ(::kill(bus_.pid(), SIGSTOP), 0);
    testbed_.plug_monitor("HDMI-A-1");
    const bool held = wait_until([&] {
        return daemon_->log().find("until the bus daemon has passed on what went before") != std::string::npos;
    });
    const int status = daemon_->process().stop(SIGTERM);
    ASSERT_EQ(::kill(bus_.pid(), SIGCONT), 0);
    ASSERT_TRUE(held) << daemon_->log();
    EXPECT_EQ(status, 0);
    EXPECT_NE(daemon_->log().find("rule desk-monitor fired on"), std::string::npos) << daemon_->log();
}

// A log reader that goes away (a pipe, a journal stream) makes the log writes fail, not the daemon
// end by SIGPIPE. Here hotseatd's stderr is a FIFO whose only reader closes once it is up.
TEST_F(Daemon, ALogReaderThatGoesAwayIsNotTheEndOfIt) {
    const std::string log_path = daemon_options().work_dir + "/hotseatd.log";
    ASSERT_EQ(::mkfifo(log_path.c_str(), 0600), 0) << std::strerror(errno);
    int reader = ::open(log_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    ASSERT_GE(reader, 0) << std::strerror(errno);
    start_daemon();
    ::close(reader);
    // A regular file takes the FIFO's name, for the fixture's log reads; hotseatd keeps its pipe.
    std::filesystem::remove(log_path);
    write_file(log_path, "");
    ASSERT_FALSE(HasFatalFailure());

    EXPECT_EQ(call_vm(bus_.address(), kVm, "Start"), 0);  // the state changes are logged
    EXPECT_TRUE(state_becomes(kVm, "running"));
    EXPECT_TRUE(daemon_->process().running())
        << "hotseatd ended with status " << daemon_->process().wait(std::chrono::milliseconds(0));
}

TEST_F(Daemon, RefusesAnInvalidConfig) {
    write_file(config_, "[supervisor]\ndebounce_ms = \"soon\"\n");
    DaemonProcess d(daemon_options());
    EXPECT_EQ(d.process().wait(std::chrono::seconds(10)), 78);
    EXPECT_NE(d.log().find("hotseat.toml:2:15"), std::string::npos) << d.log();
}

TEST_F(Daemon, ReloadRejectsABadConfigAndKeepsTheOldOne) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));

    write_file(config_, config_text("test:///default") + "[[rule]]\nname = \"x\"\non = \"monitor.plugged\"\n");
    std::string message;
    EXPECT_NE(call_reload(bus_.address(), &message), 0);
    EXPECT_NE(message.find("\"monitor.plugged\" is not a trigger"), std::string::npos) << message;
    // ConfigError holds every error with its position (the rule starts on line 26).
    std::string error = manager_property(bus_.address(), "ConfigError");
    EXPECT_NE(error.find("hotseat.toml:26:1: rule \\\"x\\\": missing required key"), std::string::npos) << error;
    EXPECT_NE(error.find("hotseat.toml:28:6: rule"), std::string::npos) << error;
    EXPECT_EQ(vm_state(bus_.address(), kVm), "running");

    // The old rules are still in force: the unplug still stops the VM.
    testbed_.unplug_monitor("HDMI-A-1");
    EXPECT_TRUE(state_becomes(kVm, "off"));
}

TEST_F(Daemon, SighupReloadsWithoutDisturbingRunningVms) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));
    auto since = vm_property(bus_.address(), kVm, "StateChangedAt");

    // A broken file first: rejected, said so on the bus.
    write_file(config_, "[supervisor\n");
    ::kill(daemon_->process().pid(), SIGHUP);
    ASSERT_TRUE(wait_until([&] { return !manager_property(bus_.address(), "ConfigError").empty(); }));

    // Then a good one with a third VM: it appears, the running VM is untouched.
    write_file(config_, config_text(kTestDriverUri) + "[[vm]]\nname = \"spare\"\n");
    ::kill(daemon_->process().pid(), SIGHUP);
    ASSERT_TRUE(wait_until([&] { return manager_property(bus_.address(), "ConfigError").empty(); }));
    EXPECT_TRUE(wait_until([&] { return vm_state(bus_.address(), "spare") == "off"; }));
    // Its object existed before the engine published it.
    EXPECT_EQ(daemon_->log().find("not publishing unknown VM"), std::string::npos) << daemon_->log();
    EXPECT_EQ(vm_state(bus_.address(), kVm), "running");
    EXPECT_EQ(vm_property(bus_.address(), kVm, "StateChangedAt"), since);
    ASSERT_TRUE(daemon_->executed(StartDomain{"arch-desktop"})) << "the log does not name the effects it executes";
    EXPECT_FALSE(touched_a_vm()) << daemon_->log();
}

// Issue #19: a dotted key of 32 000 parts (64 KB) used to overflow the TOML parser's stack and
// kill the daemon on SIGHUP and on Reload. It is refused with its place; the old config stays.
std::string deep_key(std::size_t parts) {
    std::string key;
    for (std::size_t i = 1; i < parts; ++i) key += "k.";
    return key + "k";
}

TEST_F(Daemon, ADeeplyNestedConfigIsRejectedAndTheDaemonLives) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));

    write_file(config_, config_text("test:///default") + "[" + deep_key(32'000) + "]\n");
    ::kill(daemon_->process().pid(), SIGHUP);
    ASSERT_TRUE(wait_until([&] { return !manager_property(bus_.address(), "ConfigError").empty(); })) << daemon_->log();
    EXPECT_NE(manager_property(bus_.address(), "ConfigError").find("hotseat.toml:26:2: dotted key with more than"),
              std::string::npos)
        << manager_property(bus_.address(), "ConfigError");

    write_file(config_, config_text("test:///default") + "x = " + std::string(100'000, '[') + "\n");
    std::string message;
    EXPECT_NE(call_reload(bus_.address(), &message), 0);
    EXPECT_NE(message.find("nested more than"), std::string::npos) << message;

    // Alive, and the old rules still in force.
    EXPECT_EQ(vm_state(bus_.address(), kVm), "running");
    testbed_.unplug_monitor("HDMI-A-1");
    EXPECT_TRUE(state_becomes(kVm, "off"));
}

// A reload that moves to another libvirt and turns on the guest channel of a running VM: the
// engine looks the channel up at once, on the new connection (there is never a moment without
// one), and the old connection is let go without touching the VM.
TEST_F(Daemon, ReloadToAnotherLibvirtWithTheGuestChannelTurnedOn) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes(kVm, "running"));

    const std::string other = dir_.file("other-node.xml");  // the same domains, another URI
    write_file(other, read_file(HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml"));
    write_file(config_, config_text("test://" + other, true));
    std::string message;
    ASSERT_EQ(call_reload(bus_.address(), &message), 0) << message << daemon_->log();
    EXPECT_TRUE(daemon_->executed(FindGuestChannel{"arch-desktop"})) << daemon_->log();
    EXPECT_TRUE(wait_until([&] { return manager_property(bus_.address(), "LibvirtConnected") == "true"; }));
    // The test driver keeps its state per connection: on the new one arch-desktop is shut off.
    EXPECT_TRUE(state_becomes(kVm, "off"));
    EXPECT_TRUE(daemon_->process().running()) << daemon_->log();
    EXPECT_FALSE(touched_a_vm()) << daemon_->log();
}

// A unix socket that takes connections (the kernel queues them on listen) and never answers: a
// hung libvirtd. libvirt's client waits inside virConnectOpen for as long as it stays open.
class HungLibvirt {
public:
    explicit HungLibvirt(std::string path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (fd_ < 0 || path_.size() >= sizeof address.sun_path) throw std::runtime_error("no socket for " + path_);
        std::memcpy(address.sun_path, path_.c_str(), path_.size() + 1);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 8) != 0)
            throw std::runtime_error("cannot listen on " + path_);
    }
    ~HungLibvirt() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    const std::string& path() const { return path_; }
    bool called() const {  // a client is connected and waiting
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, 0) == 1;
    }

private:
    std::string path_;
    int fd_ = -1;
};

// The libvirt adapter's worker is stuck in a libvirt call that never returns; a reload to another
// libvirt must not wait for it: the reload is answered, the new connection serves, and the stuck
// one is left to finish on its own, off the event loop.
TEST_F(Daemon, ReloadAwayFromAHungLibvirtKeepsTheBusAnswering) {
    HungLibvirt hung(dir_.file("hung-libvirt-sock"));
    write_file(config_, config_text("qemu:///system?socket=" + hung.path()));
    start_daemon();  // READY=1 by hotseatd's own timeout: libvirt never answers
    ASSERT_TRUE(wait_until([&] { return hung.called(); })) << "hotseatd never called the hung libvirt";
    EXPECT_EQ(manager_property(bus_.address(), "LibvirtConnected"), "false");

    write_file(config_, config_text(kTestDriverUri));
    std::string message;
    ASSERT_EQ(call_reload(bus_.address(), &message), 0) << message << daemon_->log();
    EXPECT_TRUE(wait_until([&] { return manager_property(bus_.address(), "LibvirtConnected") == "true"; }))
        << daemon_->log();
    EXPECT_EQ(vm_state(bus_.address(), "already_2drunning"), "running");
    EXPECT_TRUE(hung.called()) << "the hung call was expected to be still in flight";
}

// A guest that suspended itself to RAM (the test driver's PMSUSPENDED run state) is adopted as
// suspended. The test driver cannot wake it: a plug's start leaves it suspended with LastError,
// and the unplug's stop, whose wake-up is refused too, forces it off.
TEST_F(Daemon, SuspendedGuestIsAdoptedAndWokenBeforeAStop) {
    write_file(config_,
               "[supervisor]\nlibvirt_uri = \"test://" HOTSEAT_SOURCE_DIR
               "/tests/data/libvirt/pm-node.xml\"\n"
               "debounce_ms = 200\n"
               "[[vm]]\nname = \"asleep\"\nshutdown_timeout_s = 5\n"
               "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"asleep\"\n"
               "[[rule]]\nname = \"desk-unplug\"\non = \"monitor.disconnected\"\naction = \"stop\"\n"
               "vm = \"asleep\"\n");
    start_daemon();
    EXPECT_EQ(vm_state(bus_.address(), "asleep"), "suspended");
    EXPECT_EQ(vm_property(bus_.address(), "asleep", "Reason"), "adopted");

    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return !vm_property(bus_.address(), "asleep", "LastError").empty(); }));
    EXPECT_EQ(vm_state(bus_.address(), "asleep"), "suspended");
    EXPECT_NE(vm_property(bus_.address(), "asleep", "LastError").find("wake-up failed: "), std::string::npos);
    EXPECT_NE(daemon_->log().find("rule desk-monitor fired"), std::string::npos);

    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("asleep", "off"));
    EXPECT_EQ(vm_property(bus_.address(), "asleep", "Reason"),
              "desk-unplug (forced off: the guest could not be woken)");
}

TEST(CheckConfig, NamesFileLineColumn) {
    TempDir dir;
    write_file(dir.file("bad.toml"), "[[vm]]\nname = \"a\"\nshutdown_timeout_s = 0\n");
    int status = 0;
    std::string out = run_capture({HOTSEATD_PATH, "--check-config", dir.file("bad.toml")}, &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("bad.toml:3:22"), std::string::npos) << out;
    write_file(dir.file("good.toml"), "[[vm]]\nname = \"a\"\n");
    run_capture({HOTSEATD_PATH, "--check-config", dir.file("good.toml")}, &status);
    EXPECT_EQ(status, 0);
}

TEST(CheckConfig, ADeepKeyIsAnErrorNotACrash) {
    TempDir dir;
    write_file(dir.file("deep.toml"), "[" + deep_key(32'000) + "]\n");
    int status = 0;
    std::string out = run_capture({HOTSEATD_PATH, "--check-config", dir.file("deep.toml")}, &status);
    EXPECT_EQ(status, 1) << out;
    EXPECT_NE(out.find("deep.toml:1:2: error: dotted key with more than"), std::string::npos) << out;
}

TEST(CheckConfig, RefusesAWorldWritableConfig) {
    TempDir dir;
    write_file(dir.file("open.toml"), "[[vm]]\nname = \"a\"\n", 0666);
    int status = 0;
    std::string out = run_capture({HOTSEATD_PATH, "--check-config", dir.file("open.toml")}, &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("writable"), std::string::npos) << out;
}

// --no-owner-check (for a build-time check of a generated file, nix/module.nix) lifts only the
// owner check, and only for --check-config.
TEST(CheckConfig, NoOwnerCheckAcceptsAFileRootDoesNotOwn) {
    TempDir dir;
    std::string file = dir.file("built.toml");
    write_file(file, "[[vm]]\nname = \"a\"\n", 0644);
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
    int status = 0;
    std::string out = run_capture({HOTSEATD_PATH, "--check-config", file}, &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("owned by uid 65534"), std::string::npos) << out;
    out = run_capture({HOTSEATD_PATH, "--check-config", file, "--no-owner-check"}, &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("OK"), std::string::npos) << out;
    ASSERT_EQ(::chmod(file.c_str(), 0664), 0);
    out = run_capture({HOTSEATD_PATH, "--check-config", file, "--no-owner-check"}, &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("writable by its group"), std::string::npos) << out;
}

TEST(CheckConfig, NoOwnerCheckOnlyWithCheckConfig) {
    TempDir dir;
    std::string file = dir.file("built.toml");
    write_file(file, "[[vm]]\nname = \"a\"\n", 0644);
    ASSERT_EQ(::chown(file.c_str(), 65534, 65534), 0);
    int status = 0;
    // The refusal is CLI11's usage error on stderr.
    std::string out = run_capture(
        {"/bin/sh", "-c", std::string(HOTSEATD_PATH) + " --config '" + file + "' --no-owner-check 2>&1"}, &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(out.find("--check-config"), std::string::npos) << out;
}

}  // namespace
}  // namespace hotseat::test
