// The host end of one VM's guest channel (docs/guest-channel.md): a non-blocking
// client of the unix socket QEMU listens on, driven by the sd-event loop. It turns the guest
// helper's JSON lines into Guest* events and never trusts them: oversized lines are refused and
// the stream resynchronises at the next newline, invalid lines are dropped, unknown types are
// logged once, and a guest that talks too fast is throttled. A silent guest costs nothing; a
// socket that refuses or goes away is retried with backoff until the channel is closed.
// Protocol 2 adds the other direction: lines for the guest wait in a small bounded buffer and
// are written as the socket takes them, never blocking the loop; a guest that does not read
// loses them (the state is told again at its next hello).
#pragma once

#include <systemd/sd-event.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "guest/line_reader.h"
#include "guest/protocol.h"
#include "hotseat/events.h"
#include "util/fd.h"
#include "util/sd_handles.h"

namespace hotseat::guest_channel {

using Sink = std::function<void(Event)>;

struct ChannelLimits {
    std::size_t max_line = guest::kMaxLineBytes;
    std::uint32_t lines_per_second = 20;  // sustained; a burst of twice that is allowed
    std::uint64_t retry_min_us = 500'000;
    std::uint64_t retry_max_us = 30'000'000;
    std::size_t max_unsent = 16 * 1024;  // bytes waiting for the guest to read
    // A guest sending more than this in a second floods: its socket is not read for a while
    // (1 s, doubling up to 30 s) instead of splitting and discarding what it sends. A helper
    // sends a few lines a minute and at most ~20 lines (~2 KiB: hello and its connectors) at once
    // (docs/robustness.md, "A flooding guest").
    std::size_t flood_bytes_per_second = 16 * 1024;
    std::uint32_t flood_lines_per_second = 100;
    std::uint64_t flood_pause_min_us = 1'000'000;
    std::uint64_t flood_pause_max_us = 30'000'000;
};

class Channel {
public:
    Channel(sd_event* loop, std::string vm, std::string path, Sink sink, ChannelLimits limits = {});
    ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    bool connected() const { return connected_; }
    // A line for the guest (with its newline). Dropped when not connected or when the guest
    // does not read what was sent before.
    void send(const std::string& line);
    // Lines the guest sent that were not valid, since the channel was made.
    std::uint64_t invalid_lines() const { return invalid_lines_; }
    // Stops reading and retrying. The sink may close a channel from inside its own callback, so
    // the owner destroys it only later (Channels does so from a deferred event).
    void shut();

private:
    void connect();
    void drop(const std::string& why);  // close the socket, report, retry later
    void schedule_retry();
    void on_readable();
    void on_line(const guest::LineChunk& chunk);
    bool take_token();
    void flush();  // writes what the socket takes now
    void want_writable(bool on);
    void complain(const std::string& what);
    // Counts what was read in the current second; false (and the socket left unread for the
    // backoff) once the guest floods.
    bool within_budget(std::size_t bytes, std::size_t lines);

    static int on_io(sd_event_source*, int fd, uint32_t revents, void* self);
    static int on_retry(sd_event_source*, uint64_t usec, void* self);
    static int on_resume(sd_event_source*, uint64_t usec, void* self);

    sd_event* loop_;
    std::string vm_, path_;
    Sink sink_;
    ChannelLimits limits_;
    guest::LineReader reader_;
    util::UniqueFd fd_;  // before the sources: they are disabled before it closes
    bool connecting_ = false;
    bool shut_ = false;
    bool connected_ = false;
    util::EventSource io_;
    util::EventSource retry_;
    std::uint64_t retry_us_ = 0;
    std::string last_failure_;  // logged once until it changes
    // Token bucket for lines, and how many were dropped since the last complaint.
    double tokens_ = 0;
    std::uint64_t tokens_at_us_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t complained_at_us_ = 0;
    std::uint64_t complaints_suppressed_ = 0;
    std::set<std::string> unknown_types_;  // logged once each (at most 16 remembered)
    std::uint64_t invalid_lines_ = 0;
    std::string unsent_;  // for the guest, not yet written
    bool overflow_told_ = false;
    // Flood budget: what was read since window_at_us_, and the next pause.
    std::uint64_t window_at_us_ = 0;
    std::size_t window_bytes_ = 0, window_lines_ = 0;
    std::uint64_t pause_us_ = 0;
    bool paused_ = false;
    util::EventSource resume_;
};

}  // namespace hotseat::guest_channel
