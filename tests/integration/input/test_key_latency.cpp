// Key write → KeyEvent delivered, in process: the testbed writes a key press (+ SYN_REPORT) to the
// emulated evdev node, the sd-event loop wakes, libevdev reads, the sink gets the KeyEvent.
// Every one of 1000 presses and releases must arrive, each before the next is written; p50/p99
// are printed and recorded (test properties) next to a bare poll+read of the same node. How fast
// is not asserted here: this suite shares a loaded machine, and the comparison under control
// belongs to scripts/bench (bench/hotkey.cpp, docs/benchmarks.md).
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "input/keyboard_watcher.h"
#include "input_test_util.h"
#include "samples.h"
#include "testbed.h"

namespace hotseat::input {
namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
    double p50 = 0;
    double p99 = 0;
};

Figures summarise(const std::vector<double>& samples) {
    return {hotseat::test::percentile(samples, 0.50), hotseat::test::percentile(samples, 0.99)};
}

constexpr int kPresses = 1000;

// Writes kPresses presses (each followed by its release) to `number` and returns, for every
// press, the microseconds until `delivered` grew; `pump` waits for that and returns false on timeout.
std::vector<double> time_presses(hotseat::test::Testbed& bed, int number, const std::size_t& delivered,
                                 const Clock::time_point& arrived, const std::function<bool(std::size_t)>& pump) {
    std::vector<double> press_us;
    for (int i = 0; i < kPresses; ++i) {
        for (std::int32_t value : {1, 0}) {
            std::size_t before = delivered;
            auto written = Clock::now();
            bed.press_key(number, KEY_F12, value);
            if (!pump(before)) return {};
            if (value == 1) press_us.push_back(std::chrono::duration<double, std::micro>(arrived - written).count());
        }
    }
    return press_us;
}

// The floor: the same writes read by a bare poll(2) + read(2) on the node, no loop, no libevdev.
std::vector<double> bare_read_latency(hotseat::test::Testbed& bed, int number) {
    int fd = ::open(hotseat::test::Testbed::input_node(number).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return {};
    std::size_t delivered = 0;
    Clock::time_point arrived;
    auto pump = [&](std::size_t before) {
        while (delivered == before) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 30000) <= 0) return false;  // only stops a hang
            input_event events[16];
            ssize_t n = ::read(fd, events, sizeof events);
            if (n <= 0) continue;
            for (ssize_t i = 0; i < n / static_cast<ssize_t>(sizeof(input_event)); ++i) {
                if (events[i].type != EV_KEY) continue;
                arrived = Clock::now();
                ++delivered;
            }
        }
        return true;
    };
    auto samples = time_presses(bed, number, delivered, arrived, pump);
    ::close(fd);
    return samples;
}

TEST(KeyLatency, WriteToKeyEventP50AndP99Over1000Presses) {
    hotseat::test::Testbed bed;
    test::EventLoop loop;
    bed.add_keyboard(7, "USB Keyboard");
    auto bare = bare_read_latency(bed, 7);
    ASSERT_EQ(bare.size(), static_cast<std::size_t>(kPresses));

    std::size_t delivered = 0;
    Clock::time_point arrived;
    KeyboardWatcher watcher(loop.get(), [&](Event e) {
        if (!std::holds_alternative<KeyEvent>(e)) return;
        arrived = Clock::now();
        ++delivered;
    });
    // As for a hotkey rule with F12 in its chord: the keyboard is opened, F12 asked for.
    watcher.watch(WatchKeyboards{{KeyboardWatch{"latency", {}, "", {KEY_F12}}}});
    watcher.start();
    auto pump = [&](std::size_t before) { return loop.run_until([&] { return delivered > before; }); };
    auto adapter = time_presses(bed, 7, delivered, arrived, pump);
    ASSERT_EQ(adapter.size(), static_cast<std::size_t>(kPresses));

    Figures ours = summarise(adapter);
    Figures floor = summarise(bare);
    std::cout << "key write -> KeyEvent over " << kPresses << " presses: p50 " << ours.p50 << " us, p99 " << ours.p99
              << " us (bare poll+read of the same node: p50 " << floor.p50 << " us, p99 " << floor.p99 << " us)\n";
    RecordProperty("p50_us", std::to_string(ours.p50));
    RecordProperty("p99_us", std::to_string(ours.p99));
    RecordProperty("bare_p50_us", std::to_string(floor.p50));
    RecordProperty("bare_p99_us", std::to_string(floor.p99));
}

}  // namespace
}  // namespace hotseat::input
