#include "event_collector.h"

#include <poll.h>

namespace hotseat::test {

bool EventCollector::poll_once(std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    const auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
    if (left < 0) return false;
    pollfd watched{hypervisor_.fd(), POLLIN, 0};
    if (poll(&watched, 1, static_cast<int>(left) + 1) > 0)
        for (auto& event : hypervisor_.drain()) pending_.push_back(std::move(event));
    return true;
}

const std::vector<Event>& EventCollector::pending() {
    for (auto& event : hypervisor_.drain()) pending_.push_back(std::move(event));
    return pending_;
}

}  // namespace hotseat::test
