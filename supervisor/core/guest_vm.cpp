#include "core/guest_vm.h"

#include <algorithm>

namespace hotseat {

std::optional<std::int64_t> GuestVm::helper_deadline() const {
    if (helper_changes_held == 0 || !helper_told_at) return std::nullopt;
    return *helper_told_at + kGuestTellEveryMs;
}

std::optional<std::int64_t> GuestVm::deadline() const {
    std::optional<std::int64_t> next = helper_deadline();
    if (!watching) return next;
    if (!sampling && next_sample && (!next || *next_sample < *next)) next = next_sample;
    if (quiet && !fired && inhibitor.empty()) {
        std::int64_t idle_at = active_at + timeout_ms;
        if (!next || idle_at < *next) next = idle_at;
    }
    return next;
}

std::int64_t cpu_sample_period_ms(std::int64_t timeout_ms) {
    return std::clamp<std::int64_t>(timeout_ms / 4, 1000, 60'000);
}

double cpu_percent(std::uint64_t cpu_delta_ns, std::int64_t wall_delta_ms, std::uint32_t vcpus) {
    if (wall_delta_ms <= 0 || vcpus == 0) return 100.0;  // nothing measured: not idle
    return static_cast<double>(cpu_delta_ns) / (static_cast<double>(wall_delta_ms) * 1e6 * vcpus) * 100.0;
}

}  // namespace hotseat
