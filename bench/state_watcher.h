// A D-Bus client watching one VM object's State on its own thread (plain sd-bus, so that the
// client costs the same whatever sdbus-c++ the daemon was built with): the moment a
// PropertiesChanged carrying State arrives is the moment "a client sees it". hotseatd and the
// baseline service (baseline_service.c) are watched by the same code.
#pragma once

#include <systemd/sd-bus.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "report.h"

namespace hotseat::bench {

inline constexpr const char* kVmPath = "/org/hotseat/Supervisor1/vm/arch_2ddesktop";

class StateWatcher {
public:
    // Watches `path` of org.hotseat.Supervisor1 on the bus at `bus_address`.
    StateWatcher(const std::string& bus_address, const std::string& path = kVmPath);
    ~StateWatcher();
    StateWatcher(const StateWatcher&) = delete;
    StateWatcher& operator=(const StateWatcher&) = delete;
    // When State first changed to a value `pred` accepts, counting from the change the previous
    // call returned (that one included: "running" is both "not off" and "running"). Waits up to
    // 10 s; throws otherwise. Changes are kept with the moment each arrived, so a later one never
    // stands in for the one asked about.
    Clock::time_point wait_for(const std::function<bool(const std::string&)>& pred);

private:
    static int on_properties_changed(sd_bus_message* message, void* self, sd_bus_error*);
    void run();

    sd_bus* bus_ = nullptr;
    int stop_fd_ = -1;  // an eventfd: written to end the thread
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::pair<std::string, Clock::time_point>> changes_;
    size_t from_ = 0;  // where the next wait_for starts looking in changes_
};

// One plug/unplug cycle against a watched VM: `plug` makes the change happen and returns the
// moment it did (the clock starts there); the latency (µs, returned) ends when State leaves
// "off". Then the cycle waits for "running", calls `unplug` and waits for "off".
double plug_cycle(StateWatcher& watcher, const std::function<Clock::time_point()>& plug,
                  const std::function<void()>& unplug);

// `n` plug_cycle()s, their latencies added to `into`. One more cycle comes first, unrecorded: a fresh process's first trigger pays for lazy symbol
// binding and cold caches, the same for every process measured, and is not what a desk sees
// after the first plug.
void measure_state_latency(Stats& into, StateWatcher& watcher, const std::function<Clock::time_point()>& plug,
                           const std::function<void()>& unplug, int n);

}  // namespace hotseat::bench
