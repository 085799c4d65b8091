#include "time_text.h"

#include <time.h>

#include <cstdio>

namespace hotseat::ctl {
namespace {

constexpr std::uint64_t kSecond = 1'000'000;

std::string format_time(std::uint64_t us, const char* format, bool utc) {
    time_t seconds = static_cast<time_t>(us / kSecond);
    tm parts{};
    if (utc)
        gmtime_r(&seconds, &parts);
    else
        localtime_r(&seconds, &parts);
    char text[64];
    std::size_t n = strftime(text, sizeof text, format, &parts);
    return std::string(text, n);
}

std::string milliseconds(std::uint64_t us) {
    char text[8];
    std::snprintf(text, sizeof text, ".%03u", static_cast<unsigned>((us % kSecond) / 1000));
    return text;
}

}  // namespace

std::uint64_t now_us() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * kSecond + static_cast<std::uint64_t>(now.tv_nsec) / 1000;
}

std::string relative_time(std::uint64_t then_us, std::uint64_t now) {
    if (then_us > now + kSecond) return "in the future";
    std::uint64_t s = then_us >= now ? 0 : (now - then_us) / kSecond;
    if (s < 1) return "just now";
    if (s < 60) return std::to_string(s) + " s ago";
    std::uint64_t min = s / 60;
    if (min < 60) return std::to_string(min) + " min ago";
    std::uint64_t h = min / 60;
    if (h < 24) return std::to_string(h) + " h " + std::to_string(min % 60) + " min ago";
    std::uint64_t days = h / 24;
    return std::to_string(days) + (days == 1 ? " day ago" : " days ago");
}

std::string time_until(std::uint64_t then_us, std::uint64_t now) {
    if (then_us <= now) return "now";
    std::uint64_t s = (then_us - now + kSecond - 1) / kSecond;
    if (s < 60) return "in " + std::to_string(s) + " s";
    std::uint64_t min = s / 60;
    if (min < 60) return "in " + std::to_string(min) + " min";
    return "in " + std::to_string(min / 60) + " h " + std::to_string(min % 60) + " min";
}

std::string local_time(std::uint64_t us) { return format_time(us, "%Y-%m-%d %H:%M:%S %Z", false); }

std::string local_time_ms(std::uint64_t us) { return format_time(us, "%Y-%m-%d %H:%M:%S", false) + milliseconds(us); }

std::string iso_utc(std::uint64_t us) { return format_time(us, "%Y-%m-%dT%H:%M:%S", true) + milliseconds(us) + "Z"; }

}  // namespace hotseat::ctl
