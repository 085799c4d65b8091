// How many lines someone outside may make hotseatd write: a token bucket per kind of complaint.
// Whoever can make the daemon refuse something (an unprivileged bus caller, a guest) must not be
// able to fill the journal and push out what matters (docs/robustness.md, "Threat model"). The
// caller supplies the time (monotonic µs), so the arithmetic is tested with fake time.
#pragma once

#include <algorithm>
#include <cstdint>

namespace hotseat::log {

class LogBudget {
public:
    // `burst` lines at once, then one more every `refill_us`.
    LogBudget(std::uint32_t burst, std::uint64_t refill_us) : burst_(burst), refill_us_(refill_us), tokens_(burst) {}

    // True when a line may be written now. Either way the line is counted; after a true,
    // `held_back` is how many lines were swallowed since the last one written (say so in it).
    bool take(std::uint64_t now_us, std::uint64_t& held_back) {
        refill(now_us);
        if (tokens_ == 0) {
            ++held_back_;
            return false;
        }
        --tokens_;
        held_back = held_back_;
        held_back_ = 0;
        return true;
    }

    std::uint64_t held_back() const { return held_back_; }

private:
    void refill(std::uint64_t now_us) {
        if (!started_) {
            started_ = true;
            last_refill_us_ = now_us;
            return;
        }
        if (now_us <= last_refill_us_ || refill_us_ == 0) return;
        std::uint64_t earned = (now_us - last_refill_us_) / refill_us_;
        if (earned == 0) return;
        tokens_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(burst_, tokens_ + earned));
        last_refill_us_ += earned * refill_us_;
        if (tokens_ == burst_) last_refill_us_ = now_us;  // a full bucket saves nothing up
    }

    std::uint32_t burst_;
    std::uint64_t refill_us_;
    std::uint32_t tokens_;
    std::uint64_t last_refill_us_ = 0;
    std::uint64_t held_back_ = 0;
    bool started_ = false;
};

}  // namespace hotseat::log
