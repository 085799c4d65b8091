// Times as people and scripts read them. Times are µs since the epoch (CLOCK_REALTIME), the unit
// of the StateChangedAt property.
#pragma once

#include <cstdint>
#include <string>

namespace hotseat::ctl {

std::uint64_t now_us();

// "just now", "42 s ago", "5 min ago", "3 h 12 min ago", "2 days ago"; "in the future" when the
// clocks disagree.
std::string relative_time(std::uint64_t then_us, std::uint64_t now_us);

// "in 45 s", "in 5 min", "in 1 h 3 min"; "now" once it has come.
std::string time_until(std::uint64_t then_us, std::uint64_t now_us);

// Local time: "2024-05-01 12:00:00 CEST".
std::string local_time(std::uint64_t us);

// Local time with milliseconds, for event lines: "2024-05-01 12:00:00.123".
std::string local_time_ms(std::uint64_t us);

// ISO 8601 in UTC with milliseconds, for JSON: "2024-05-01T10:00:00.123Z".
std::string iso_utc(std::uint64_t us);

}  // namespace hotseat::ctl
