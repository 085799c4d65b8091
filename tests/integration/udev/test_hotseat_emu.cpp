// hotseat-emu as the demo and the benchmarks use it: a separate process owns the testbed and
// plays the kernel on command; a DeviceMonitor in this process (started with the emulator's
// UMOCKDEV_DIR) sees its uevents.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "udev/device_monitor.h"

namespace hotseat::udev {
namespace {

using namespace std::chrono_literals;

// The emulator with its stdin and stdout on pipes.
class Emulator {
public:
    Emulator() {
        int to_child[2], from_child[2];
        if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) throw std::runtime_error("pipe");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork");
        if (pid_ == 0) {
            ::dup2(to_child[0], 0);
            ::dup2(from_child[1], 1);
            ::close(to_child[1]);
            ::close(from_child[0]);
            ::execl(HOTSEAT_EMU_PATH, "hotseat-emu", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(to_child[0]);
        ::close(from_child[1]);
        in_ = to_child[1];
        out_ = from_child[0];
    }
    ~Emulator() {
        if (in_ >= 0) ::close(in_);
        ::close(out_);
        int status;
        ::waitpid(pid_, &status, 0);
    }
    // The next line of output, or "" after 10 s or at EOF.
    std::string line() {
        std::string text;
        char c;
        while (true) {
            pollfd p{out_, POLLIN, 0};
            if (::poll(&p, 1, 10000) <= 0 || ::read(out_, &c, 1) != 1) return "";
            if (c == '\n') return text;
            text += c;
        }
    }
    std::string command(const std::string& text) {
        std::string with_newline = text + "\n";
        if (::write(in_, with_newline.data(), with_newline.size()) != static_cast<ssize_t>(with_newline.size())) return "";
        return line();
    }
    // Closing stdin is how the demo ends it: the emulator removes its testbed and exits 0.
    int finish() {
        ::close(in_);
        in_ = -1;
        int status = -1;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    pid_t pid_ = -1;
    int in_ = -1;
    int out_ = -1;
};

bool pump_until(DeviceMonitor& monitor, const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        pollfd p{monitor.fd(), POLLIN, 0};
        if (::poll(&p, 1, 100) > 0) monitor.process();
    }
    return true;
}

TEST(HotseatEmu, DrivesAMonitorInAnotherProcess) {
    Emulator emu;
    std::string banner = emu.line();
    ASSERT_EQ(banner.rfind("UMOCKDEV_DIR=", 0), 0u) << banner;
    std::string root = banner.substr(13);
    ::setenv("UMOCKDEV_DIR", root.c_str(), 1);  // before the monitor makes its socket

    std::vector<Event> events;
    DeviceMonitor monitor([&](Event e) { events.push_back(std::move(e)); });
    monitor.start();
    ASSERT_EQ(events.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<ConnectorStatus>(events[0]));
    EXPECT_FALSE(std::get<ConnectorStatus>(events[0]).connected);

    events.clear();
    ASSERT_EQ(emu.command("plug HDMI-A-1"), "ok");
    ASSERT_TRUE(pump_until(monitor, [&] { return !events.empty(); }));
    ASSERT_TRUE(std::holds_alternative<ConnectorStatus>(events[0]));
    EXPECT_TRUE(std::get<ConnectorStatus>(events[0]).connected);

    events.clear();
    ASSERT_EQ(emu.command("usb-add 046d c52b KB1"), "ok");
    ASSERT_TRUE(pump_until(monitor, [&] { return !events.empty(); }));
    ASSERT_TRUE(std::holds_alternative<DeviceEvent>(events[0]));
    EXPECT_EQ(std::get<DeviceEvent>(events[0]).properties.at("ID_MODEL_ID"), "c52b");

    EXPECT_EQ(emu.command("usb-add 046d"), "error: wrong number of arguments for usb-add");
    EXPECT_EQ(emu.command("frobnicate"), "error: unknown command 'frobnicate'");
    EXPECT_EQ(emu.finish(), 0);
    EXPECT_NE(::access(root.c_str(), F_OK), 0) << "testbed left behind: " << root;
    ::unsetenv("UMOCKDEV_DIR");
}

}  // namespace
}  // namespace hotseat::udev
