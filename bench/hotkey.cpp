// Hotkey latency (docs/design.md "Performance targets"): a chord typed on the emulated keyboard → the action
// begins, as another process sees it, for hotseatd against triggerhappy (`thd`, the usual hotkey daemon),
// on the same umockdev evdev keyboard and the same replayed key events, one after the other
// (a umockdev evdev node is one pty: two readers would split the events between them).
//   thd:      the F12 press written → the trigger's command ran (`echo > FIFO`, the cheapest
//             command thd can run: it forks a shell per trigger) → the FIFO readable here.
//   hotseatd: the F12 press written → the rule fired (the start/stop request is on its way to
//             libvirt) → the RuleFired signal received here over the bus.
// Both observable points are "another process learns the action began"; hotseatd's path has a
// bus-daemon hop, thd's a fork/exec. Must run under umockdev's preload (scripts/bench does it).
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <sdbus-c++/sdbus-c++.h>
#include <stdexcept>
#include <string>

#include "daemon_process.h"
#include "dbus/sdbus_compat.h"
#include "private_bus.h"
#include "process.h"
#include "report.h"
#include "testbed.h"

namespace {

using namespace hotseat::bench;
using namespace hotseat::test;
using namespace std::chrono_literals;

constexpr int kKeyboard = 7;

// Modifiers down, then the F12 press whose write starts the clock.
Clock::time_point press_chord(Testbed& tb) {
    tb.press_key(kKeyboard, KEY_LEFTCTRL, 1);
    tb.press_key(kKeyboard, KEY_LEFTALT, 1);
    auto t0 = Clock::now();
    tb.press_key(kKeyboard, KEY_F12, 1);
    return t0;
}

void release_chord(Testbed& tb) {
    for (int key : {KEY_F12, KEY_LEFTALT, KEY_LEFTCTRL}) tb.press_key(kKeyboard, key, 0);
}

Stats measure_thd(Testbed& tb, int n) {
    Stats s{"thd: F12 press -> command ran", "us", {}};
    TempDir dir;
    const std::string fifo = dir.file("fired");
    if (::mkfifo(fifo.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);  // RDWR: never EOF between writers
    write_file(dir.file("triggers.conf"), "KEY_F12+KEY_LEFTCTRL+KEY_LEFTALT 1 echo x > " + fifo + "\n");
    Process thd({{"thd", "--triggers", dir.file("triggers.conf"), Testbed::input_node(kKeyboard)},
                 umockdev_environment(tb.root()),
                 dir.file("thd.log")});
    auto fired = [&](std::chrono::milliseconds timeout) -> std::optional<Clock::time_point> {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
        auto t = Clock::now();
        char buf[64];
        while (::read(fd, buf, sizeof buf) > 0) {}
        return t;
    };
    // thd says nothing when it is ready: chord until the first one fires.
    bool ready = false;
    for (int i = 0; i < 50 && !ready; ++i) {
        press_chord(tb);
        ready = fired(200ms).has_value();
        release_chord(tb);
    }
    if (!ready) throw std::runtime_error("thd never ran its trigger:\n" + thd.output());
    for (int i = 0; i < n; ++i) {
        auto t0 = press_chord(tb);
        auto t1 = fired(5000ms);
        release_chord(tb);
        if (!t1) throw std::runtime_error("thd missed a chord:\n" + thd.output());
        s.samples.push_back(micros(*t1 - t0));
    }
    ::close(fd);
    return s;
}

// RuleFired signals, received on the connection's own thread.
class RuleFiredWatcher {
public:
    explicit RuleFiredWatcher(const std::string& bus_address) {
        setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_address.c_str(), 1);
        conn_ = sdbus::createSystemBusConnection();
        proxy_ = hotseat::dbus::sdbus_compat::create_proxy(*conn_, "org.hotseat.Supervisor1",
                                                           "/org/hotseat/Supervisor1");
        proxy_->uponSignal("RuleFired")
            .onInterface("org.hotseat.Supervisor1.Manager")
            .call([this](const std::string&, const std::string&, const std::string&, const std::string&) {
                std::lock_guard lock(mutex_);
                ++count_;
                at_ = Clock::now();
                cv_.notify_all();
            });
        hotseat::dbus::sdbus_compat::finish_registration(*proxy_);
        conn_->enterEventLoopAsync();
    }
    ~RuleFiredWatcher() { conn_->leaveEventLoop(); }
    int count() {
        std::lock_guard lock(mutex_);
        return count_;
    }
    std::optional<Clock::time_point> wait_beyond(int count, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!cv_.wait_for(lock, timeout, [&] { return count_ > count; })) return std::nullopt;
        return at_;
    }

private:
    std::unique_ptr<sdbus::IConnection> conn_;
    std::unique_ptr<sdbus::IProxy> proxy_;
    std::mutex mutex_;
    std::condition_variable cv_;
    int count_ = 0;
    Clock::time_point at_;
};

Stats measure_hotseat(Testbed& tb, int n) {
    Stats s{"hotseatd: F12 press -> RuleFired seen", "us", {}};
    TempDir dir;
    PrivateBus bus;
    const std::string config = dir.file("hotseat.toml");
    write_file(config,
               "[supervisor]\nlibvirt_uri = \"test://" HOTSEAT_SOURCE_DIR
               "/tests/data/libvirt/node.xml\"\n"
               "debounce_ms = 0\n"
               "[[vm]]\nname = \"arch-desktop\"\n"
               "[[rule]]\nname = \"desk-hotkey\"\non = \"hotkey\"\n"
               "keys = [\"KEY_LEFTCTRL\", \"KEY_LEFTALT\", \"KEY_F12\"]\naction = \"toggle\"\nvm = \"arch-desktop\"\n");
    DaemonProcess daemon({config, tb.root(), bus.address(), dir.path(), {}});
    if (!daemon.wait_ready()) throw std::runtime_error("hotseatd not ready:\n" + daemon.log());
    RuleFiredWatcher watcher(bus.address());
    auto settled = [&] {
        auto st = vm_state(bus.address(), "arch_2ddesktop");
        return st == "off" || st == "running";
    };
    for (int i = 0; i < n; ++i) {
        int before = watcher.count();
        auto t0 = press_chord(tb);
        auto t1 = watcher.wait_beyond(before, 5000ms);
        release_chord(tb);
        if (!t1) throw std::runtime_error("no RuleFired for a chord:\n" + daemon.log());
        s.samples.push_back(micros(*t1 - t0));
        if (!wait_until(settled, 10s)) throw std::runtime_error("the VM did not settle:\n" + daemon.log());
    }
    return s;
}

}  // namespace

// Usage: bench_hotkey [--json FILE] [--quick] [N]
int main(int argc, char** argv) {
    return hotseat::bench::run(
        argc, argv, "hotkey", 200, 10, [](const hotseat::bench::Args& args) -> hotseat::bench::Report {
            const int n = args.quick ? 30 : args.n;
            Testbed tb;
            tb.add_keyboard(kKeyboard, "Bench Keyboard");
            auto thd = measure_thd(tb, n);
            auto hotseat = measure_hotseat(tb, n);
            auto median = hotseat::bench::ratio_figure("hotkey p50: hotseatd / thd", hotseat.median(), thd.median(),
                                                       Better::Lower, 1.0, "us");
            median.note = "F12 write -> RuleFired received (hotseatd) vs -> trigger command ran (thd)";
            auto tail = hotseat::bench::ratio_figure("hotkey p99: hotseatd / thd", hotseat.at(0.99), thd.at(0.99),
                                                     Better::Lower, 1.0, "us");
            return {{thd, hotseat}, {median, tail}};
        });
}
