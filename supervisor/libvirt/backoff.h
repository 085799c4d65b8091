// How long to wait between attempts to reach libvirt: 0.5 s, doubling, at most 30 s (the
// defaults). A daemon that is restarting comes back within the first steps; one that is gone costs
// one attempt per half-minute.
#pragma once

#include <algorithm>
#include <chrono>

namespace hotseat::libvirt {

class Backoff {
public:
    explicit Backoff(std::chrono::milliseconds first = std::chrono::milliseconds{500},
                     std::chrono::milliseconds longest = std::chrono::milliseconds{30'000})
        : first_(first), longest_(std::max(first, longest)), current_(first) {}

    std::chrono::milliseconds next() {
        auto wait = current_;
        current_ = std::min(current_ * 2, longest_);
        return wait;
    }
    void reset() { current_ = first_; }

private:
    std::chrono::milliseconds first_;
    std::chrono::milliseconds longest_;
    std::chrono::milliseconds current_;
};

}  // namespace hotseat::libvirt
