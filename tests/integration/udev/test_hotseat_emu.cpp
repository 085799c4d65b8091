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

#include "process.h"
#include "udev/device_monitor.h"

namespace hotseat::udev {
namespace {

using namespace std::chrono_literals;

// The emulator with its stdin on a pipe and its stdout in a file read line by line.
class Emulator {
public:
    Emulator() : process_({{HOTSEAT_EMU_PATH}, {}, dir_.file("stdout"), dir_.file("stderr"), true}) {}
    // Closing stdin is how the demo ends it: the emulator removes its testbed and exits.
    ~Emulator() { finish(); }
    // The next line of output, or "" after 10 s (a hang guard) or at EOF.
    std::string line() {
        std::string text;
        hotseat::test::wait_until(
            [&] {
                const std::string out = process_.output();
                auto newline = out.find('\n', read_);
                if (newline == std::string::npos) return false;
                text = out.substr(read_, newline - read_);
                read_ = newline + 1;
                return true;
            },
            10s);
        return text;
    }
    std::string command(const std::string& text) {
        std::string with_newline = text + "\n";
        if (::write(process_.input(), with_newline.data(), with_newline.size()) !=
            static_cast<ssize_t>(with_newline.size()))
            return "";
        return line();
    }
    // Its exit status once stdin is closed.
    int finish() {
        process_.close_input();
        return process_.wait(30s);
    }

private:
    hotseat::test::TempDir dir_;
    hotseat::test::Process process_;
    std::size_t read_ = 0;
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
