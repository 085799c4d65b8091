// How long to wait between attempts to reach libvirt: 0.5 s, doubling, at most 30 s. A daemon
// that is restarting comes back within the first steps; one that is gone costs one attempt per
// half-minute.
#pragma once

#include <algorithm>
#include <chrono>

namespace hotseat::libvirt {

class Backoff {
public:
    static constexpr std::chrono::milliseconds first{500};
    static constexpr std::chrono::milliseconds longest{30'000};

    std::chrono::milliseconds next() {
        auto wait = current_;
        current_ = std::min(current_ * 2, longest);
        return wait;
    }
    void reset() { current_ = first; }

private:
    std::chrono::milliseconds current_ = first;
};

}  // namespace hotseat::libvirt
