// Reads a Hypervisor's results the way the daemon's loop does: poll its fd, then drain. Tests
// wait for the event they expect with a deadline; events seen while waiting are kept for later.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "hotseat/events.h"
#include "libvirt/hypervisor.h"

namespace hotseat::test {

class EventCollector {
public:
    explicit EventCollector(libvirt::Hypervisor& hypervisor) : hypervisor_(hypervisor) {}

    // Takes the oldest collected T for which `match` holds (an empty `match`: any T), polling for
    // more until the deadline. The default deadline only stops a hang: generous, even on a
    // loaded machine.
    template <typename T>
    std::optional<T> take(
        const std::function<bool(const T&)>& match = [](const T&) { return true; },
        std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true) {
            for (auto it = pending_.begin(); it != pending_.end(); ++it) {
                const T* event = std::get_if<T>(&*it);
                if (event != nullptr && (!match || match(*event))) {
                    T found = *event;
                    pending_.erase(it);
                    return found;
                }
            }
            if (!poll_once(deadline)) return std::nullopt;
        }
    }

    // Everything collected and not taken yet, after draining what is queued now.
    const std::vector<Event>& pending();

private:
    bool poll_once(std::chrono::steady_clock::time_point deadline);  // false: deadline passed

    libvirt::Hypervisor& hypervisor_;
    std::vector<Event> pending_;
};

}  // namespace hotseat::test
