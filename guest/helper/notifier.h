// The warning on the screen (docs/guest-channel.md "The notification"): when the host says a stop of this VM
// is pending, a desktop notification on the logged-in user's session (org.freedesktop.Notifications on their
// session bus) says when and why, with a "Keep my desk" action that asks the host to postpone it.
// The session is the active graphical one logind knows; its bus is <user_bus_dir>/<uid>/bus,
// joined as that user. Without a session or a notification daemon the journal says so and the
// stop goes ahead unannounced on the screen (the host's PendingStop still shows it).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <systemd/sd-bus.h>

#include "guest/protocol.h"
#include "util/sd_handles.h"

namespace hotseat::guest {

struct NotifierOptions {
    std::string user_bus_dir = "/run/user";
    std::uint32_t postpone_s = 3600;  // what "Keep my desk" asks for (the host caps it)
};

class Notifier {
public:
    using PostponeSink = std::function<void(std::uint32_t seconds)>;
    Notifier(NotifierOptions options, PostponeSink postpone);
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    // `system_bus` finds the session (logind); may be null (no system bus): then nobody is told.
    void stop_pending(const StopPending& pending, sd_bus* system_bus, std::int64_t now_ms);
    void stop_cancelled();
    // A reminder a minute before a stop that was announced long before.
    void on_time(std::int64_t now_ms, sd_bus* system_bus);
    std::optional<std::int64_t> next_time_ms() const { return reminder_at_ms_; }

    // The session bus connection, for the helper's poll loop (-1 / nothing when not connected).
    int fd() const;
    short poll_events() const;
    std::optional<std::int64_t> bus_timeout_ms(std::int64_t now_ms) const;
    void process();

private:
    bool connect(sd_bus* system_bus);
    void disconnect();
    void show(std::int64_t now_ms, sd_bus* system_bus);
    static int on_action(sd_bus_message* m, void* self, sd_bus_error* error);
    static int on_closed(sd_bus_message* m, void* self, sd_bus_error* error);

    NotifierOptions options_;
    PostponeSink postpone_;
    util::Bus bus_;
    util::BusSlot action_slot_;  // after bus_: the matches go before the connection
    util::BusSlot closed_slot_;
    std::uint32_t uid_ = 0;
    std::uint32_t id_ = 0;  // the notification shown now; 0: none
    std::optional<StopPending> pending_;
    std::int64_t deadline_ms_ = 0;  // monotonic, from in_ms
    std::optional<std::int64_t> reminder_at_ms_;
    std::string last_complaint_;  // said once until it changes
};

// "in 45 s", "in 5 min", "in 1 h 3 min": how the notification says when.
std::string in_words(std::int64_t ms);

}  // namespace hotseat::guest
