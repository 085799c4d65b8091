#include "guest_channel/channel.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>  // read

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "log.h"

namespace hotseat::guest_channel {
namespace {

constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kMaxBytesPerWakeup = 64 * 1024;  // then yield; epoll calls again
constexpr std::uint64_t kComplainEveryUs = 10'000'000;
constexpr std::size_t kMaxUnknownTypes = 16;

std::uint64_t now_us(sd_event* loop) {
    std::uint64_t t = 0;
    sd_event_now(loop, CLOCK_MONOTONIC, &t);
    return t;
}

}  // namespace

Channel::Channel(sd_event* loop, std::string vm, std::string path, Sink sink, ChannelLimits limits)
    : loop_(loop),
      vm_(std::move(vm)),
      path_(std::move(path)),
      sink_(std::move(sink)),
      limits_(limits),
      reader_(limits.max_line),
      tokens_(2.0 * limits.lines_per_second) {
    retry_us_ = limits_.retry_min_us;
    pause_us_ = limits_.flood_pause_min_us;
    connect();
}

Channel::~Channel() = default;

void Channel::shut() {
    shut_ = true;
    sd_event_source_set_enabled(io_.get(), SD_EVENT_OFF);
    sd_event_source_set_enabled(retry_.get(), SD_EVENT_OFF);
    sd_event_source_set_enabled(resume_.get(), SD_EVENT_OFF);
}

void Channel::connect() {
    if (shut_) return;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof(addr.sun_path)) {
        log::warning(vm_, ": guest channel path too long for a unix socket: ", path_);
        return;  // no retry: it will not get shorter
    }
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd_) return drop(std::string("socket: ") + std::strerror(errno));
    int r = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    if (r < 0 && errno != EINPROGRESS && errno != EAGAIN) return drop("connect " + path_ + ": " + std::strerror(errno));
    connecting_ = r < 0;
    if (sd_event_add_io(loop_, util::out_ptr(io_), fd_.get(), connecting_ ? EPOLLOUT : EPOLLIN, on_io, this) < 0)
        return drop("cannot watch the socket");
    if (!connecting_) {
        connected_ = true;
        retry_us_ = limits_.retry_min_us;
        last_failure_.clear();
        log::info(vm_, ": guest channel connected (", path_, ")");
    }
}

void Channel::drop(const std::string& why) {
    io_.reset();
    fd_.reset();
    reader_.reset();
    unsent_.clear();
    paused_ = false;  // a new connection starts with a fresh budget (the backoff stays)
    window_at_us_ = 0;
    sd_event_source_set_enabled(resume_.get(), SD_EVENT_OFF);
    bool was_connected = connected_;
    connected_ = connecting_ = false;
    if (was_connected) {
        log::info(vm_, ": guest channel lost: ", why, "; reconnecting");
        sink_(GuestChannelClosed{vm_, why});
        if (shut_) return;
    } else if (why != last_failure_) {
        log::info(vm_, ": guest channel not reachable yet: ", why, "; retrying");
    }
    last_failure_ = why;
    schedule_retry();
}

void Channel::schedule_retry() {
    std::uint64_t at = now_us(loop_) + retry_us_;
    retry_us_ = std::min(retry_us_ * 2, limits_.retry_max_us);
    if (!retry_) {
        if (sd_event_add_time(loop_, util::out_ptr(retry_), CLOCK_MONOTONIC, at, 0, on_retry, this) < 0)
            log::error(vm_, ": cannot arm the guest channel retry timer");
        return;
    }
    sd_event_source_set_time(retry_.get(), at);
    sd_event_source_set_enabled(retry_.get(), SD_EVENT_ONESHOT);
}

int Channel::on_retry(sd_event_source*, uint64_t, void* self) {
    static_cast<Channel*>(self)->connect();
    return 0;
}

int Channel::on_io(sd_event_source*, int, uint32_t revents, void* self) {
    auto* c = static_cast<Channel*>(self);
    if (c->connecting_) {
        int error = 0;
        socklen_t len = sizeof(error);
        ::getsockopt(c->fd_.get(), SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0) {
            c->drop("connect " + c->path_ + ": " + std::strerror(error));
            return 0;
        }
        c->connecting_ = false;
        c->connected_ = true;
        c->retry_us_ = c->limits_.retry_min_us;
        c->last_failure_.clear();
        sd_event_source_set_io_events(c->io_.get(), EPOLLIN);
        log::info(c->vm_, ": guest channel connected (", c->path_, ")");
        return 0;
    }
    if (revents & EPOLLOUT) c->flush();
    if (c->fd_ && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR))) c->on_readable();
    return 0;
}

void Channel::send(const std::string& line) {
    if (shut_ || !connected_) {
        log::debug(vm_, ": guest channel not connected; not sent: ", line.substr(0, line.size() - 1));
        return;
    }
    if (unsent_.size() + line.size() > limits_.max_unsent) {
        if (!overflow_told_)
            log::warning(vm_, ": the guest does not read its channel; lines for it are dropped until it does");
        overflow_told_ = true;
        return;
    }
    unsent_ += line;
    flush();
}

void Channel::flush() {
    while (!unsent_.empty() && fd_) {
        ssize_t n = ::send(fd_.get(), unsent_.data(), unsent_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            return drop(std::string("write: ") + std::strerror(errno));
        }
        unsent_.erase(0, static_cast<std::size_t>(n));
    }
    if (unsent_.empty()) overflow_told_ = false;
    want_writable(!unsent_.empty());
}

void Channel::want_writable(bool on) {
    if (io_ && !connecting_) sd_event_source_set_io_events(io_.get(), on ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

void Channel::on_readable() {
    char buffer[kReadChunk];
    std::size_t total = 0;
    while (total < kMaxBytesPerWakeup) {
        ssize_t n = ::read(fd_.get(), buffer, sizeof(buffer));
        if (n == 0) return drop("the guest side closed");
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            return drop(std::string("read: ") + std::strerror(errno));
        }
        total += static_cast<std::size_t>(n);
        auto chunks = reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        for (const auto& chunk : chunks) {
            on_line(chunk);
            if (!fd_ || shut_) return;
        }
        if (!within_budget(static_cast<std::size_t>(n), chunks.size())) return;
    }
}

// Issue #19: a flood cost most of a core in splitting and discarding lines. Past the budget the
// socket is simply not read (the guest's writes block in its own kernel buffer), for a backoff
// that doubles while the flood goes on and starts again at the minimum after a calm second.
bool Channel::within_budget(std::size_t bytes, std::size_t lines) {
    std::uint64_t now = now_us(loop_);
    if (window_at_us_ == 0 || now - window_at_us_ >= 1'000'000) {
        // A second that ended within the budget (a paused one never ends): the guest calmed down.
        if (window_at_us_ != 0) pause_us_ = limits_.flood_pause_min_us;
        window_at_us_ = now;
        window_bytes_ = window_lines_ = 0;
    }
    window_bytes_ += bytes;
    window_lines_ += lines;
    if (window_bytes_ <= limits_.flood_bytes_per_second && window_lines_ <= limits_.flood_lines_per_second) return true;
    log::warning(vm_, ": guest channel: the guest sends more than ", limits_.flood_bytes_per_second, " bytes or ",
                 limits_.flood_lines_per_second, " lines a second; not reading it for ", pause_us_ / 1000, " ms");
    paused_ = true;
    sd_event_source_set_enabled(io_.get(), SD_EVENT_OFF);
    std::uint64_t at = now + pause_us_;
    pause_us_ = std::min(pause_us_ * 2, limits_.flood_pause_max_us);
    window_at_us_ = 0;
    if (!resume_) {
        if (sd_event_add_time(loop_, util::out_ptr(resume_), CLOCK_MONOTONIC, at, 0, on_resume, this) < 0) {
            log::error(vm_, ": cannot arm the guest channel resume timer; closing the channel");
            drop("flooded");
        }
        return false;
    }
    sd_event_source_set_time(resume_.get(), at);
    sd_event_source_set_enabled(resume_.get(), SD_EVENT_ONESHOT);
    return false;
}

int Channel::on_resume(sd_event_source*, uint64_t, void* self) {
    auto* c = static_cast<Channel*>(self);
    if (!c->paused_ || c->shut_ || !c->io_) return 0;
    c->paused_ = false;
    sd_event_source_set_enabled(c->io_.get(), SD_EVENT_ON);
    return 0;
}

bool Channel::take_token() {
    std::uint64_t now = now_us(loop_);
    double rate = limits_.lines_per_second;
    tokens_ = std::min(2.0 * rate, tokens_ + static_cast<double>(now - tokens_at_us_) / 1e6 * rate);
    tokens_at_us_ = now;
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
}

// One warning now and then, with how many were swallowed in between: a guest cannot flood the log.
void Channel::complain(const std::string& what) {
    std::uint64_t now = now_us(loop_);
    if (complained_at_us_ != 0 && now - complained_at_us_ < kComplainEveryUs) {
        ++complaints_suppressed_;
        return;
    }
    std::string more = complaints_suppressed_
                           ? " (" + std::to_string(complaints_suppressed_) + " more problems since the last message)"
                           : "";
    log::warning(vm_, ": guest channel: ", what, more);
    complained_at_us_ = now;
    complaints_suppressed_ = 0;
}

void Channel::on_line(const guest::LineChunk& chunk) {
    if (shut_) return;
    if (!take_token()) {
        if (dropped_++ == 0)
            complain("the guest sends more than " + std::to_string(limits_.lines_per_second) +
                     " lines a second; dropping lines");
        return;
    }
    dropped_ = 0;
    if (chunk.oversized)
        return complain("line longer than " + std::to_string(limits_.max_line) +
                        " bytes refused; skipping to the next newline");
    if (chunk.line.empty()) return;
    guest::ParseResult parsed = guest::parse_line(chunk.line);
    if (!parsed.message) {
        ++invalid_lines_;
        return complain("invalid line ignored: " + parsed.error + " (" + std::to_string(invalid_lines_) +
                        " invalid so far)");
    }
    std::visit(
        [this](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, guest::Hello>)
                sink_(GuestHello{vm_, m.protocol, m.helper_version});
            else if constexpr (std::is_same_v<T, guest::Connector>)
                sink_(GuestConnector{vm_, m.card, m.connector, m.connected, m.initial});
            else if constexpr (std::is_same_v<T, guest::Input>)
                sink_(GuestInput{vm_, m.idle_ms});
            else if constexpr (std::is_same_v<T, guest::Postpone>)
                sink_(GuestPostpone{vm_, m.seconds});
            else if constexpr (std::is_same_v<T, guest::Inhibit>)
                sink_(GuestInhibit{vm_, m.active, m.reason});
            else if constexpr (std::is_same_v<T, guest::Hotkey>)
                sink_(GuestHotkey{vm_, m.keys});
            else if (unknown_types_.size() < kMaxUnknownTypes && unknown_types_.insert(m.type).second)
                log::info(vm_, ": guest channel: message type \"", m.type, "\" unknown to this version: ignored");
        },
        *parsed.message);
}

}  // namespace hotseat::guest_channel
