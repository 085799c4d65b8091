#include "helper/notifier.h"

#include <pwd.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace hotseat::guest {
namespace {

constexpr const char* kLogind = "org.freedesktop.login1";
constexpr const char* kNotifications = "org.freedesktop.Notifications";
constexpr const char* kNotificationsPath = "/org/freedesktop/Notifications";
constexpr const char* kKeepAction = "keep";
constexpr std::int64_t kRemindBeforeMs = 60'000;
constexpr std::uint64_t kCallTimeoutUs = 2'000'000;

void say(const std::string& message) { std::fprintf(stderr, "hotseat-guest: %s\n", message.c_str()); }

using util::BusError;
using util::BusMessage;
using util::out_ptr;

struct Session {
    std::uint32_t uid = 0;
    std::string id;
    bool graphical = false;
};

std::string session_string(sd_bus* bus, const char* path, const char* property) {
    BusError e;
    util::Malloced<char> value;
    if (sd_bus_get_property_string(bus, kLogind, path, "org.freedesktop.login1.Session", property, &e.error,
                                   out_ptr(value)) < 0)
        return {};
    return value.get();
}

// The active user session logind knows, a graphical one first: whom to warn.
std::optional<Session> active_session(sd_bus* bus, std::string* why) {
    BusError e;
    BusMessage reply;
    int r = sd_bus_call_method(bus, kLogind, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                               "ListSessions", &e.error, out_ptr(reply), "");
    if (r < 0) {
        *why = "cannot ask logind for the sessions: " + e.text(r);
        return std::nullopt;
    }
    std::optional<Session> best;
    if (sd_bus_message_enter_container(reply.get(), 'a', "(susso)") < 0) return std::nullopt;
    const char *id = nullptr, *user = nullptr, *seat = nullptr, *path = nullptr;
    uint32_t uid = 0;
    while (sd_bus_message_read(reply.get(), "(susso)", &id, &uid, &user, &seat, &path) > 0) {
        BusError pe;
        int active = 0;
        if (sd_bus_get_property_trivial(bus, kLogind, path, "org.freedesktop.login1.Session", "Active", &pe.error, 'b',
                                        &active) < 0 ||
            !active)
            continue;
        if (session_string(bus, path, "Class") != "user") continue;
        std::string type = session_string(bus, path, "Type");
        bool graphical = type == "x11" || type == "wayland" || type == "mir";
        if (!best || (graphical && !best->graphical)) best = Session{uid, id, graphical};
    }
    if (!best) *why = "no active user session";
    return best;
}

}  // namespace

std::string in_words(std::int64_t ms) {
    std::int64_t s = (std::max<std::int64_t>(ms, 0) + 999) / 1000;
    if (s < 60) return "in " + std::to_string(s) + " s";
    std::int64_t min = (s + 30) / 60;
    if (min < 60) return "in " + std::to_string(min) + " min";
    return "in " + std::to_string(min / 60) + " h " + std::to_string(min % 60) + " min";
}

Notifier::Notifier(NotifierOptions options, PostponeSink postpone)
    : options_(std::move(options)), postpone_(std::move(postpone)) {}

Notifier::~Notifier() { disconnect(); }

void Notifier::disconnect() {
    action_slot_.reset();
    closed_slot_.reset();
    bus_.reset();
    id_ = 0;
}

// Joins the user's session bus as that user: the bus lets in its owner only, and the helper
// (root) must not speak there with more rights than the user has.
bool Notifier::connect(sd_bus* system_bus) {
    std::string why;
    auto session = system_bus ? active_session(system_bus, &why) : std::nullopt;
    if (!system_bus) why = "no system bus";
    if (!session) {
        disconnect();
        if (why != last_complaint_) say("nobody to warn on the screen (" + why + ")");
        last_complaint_ = why;
        return false;
    }
    if (bus_ && session->uid == uid_) return true;
    disconnect();
    uid_ = session->uid;
    std::string address = "unix:path=" + options_.user_bus_dir + "/" + std::to_string(uid_) + "/bus";
    gid_t gid = 0;
    if (const passwd* pw = ::getpwuid(uid_)) gid = pw->pw_gid;
    bool switch_user = ::geteuid() == 0 && uid_ != 0;
    if (switch_user && (::setegid(gid) < 0 || ::seteuid(uid_) < 0)) {
        why = "cannot act as uid " + std::to_string(uid_) + ": " + std::strerror(errno);
        ::setegid(0);
    } else {
        // Unreferenced, not flushed, when it fails: sd_bus_flush would wait for a bus that never
        // got running. Once it runs, it is bus_ (util::Bus: flushed and closed).
        util::Handle<sd_bus, sd_bus_unref> bus;
        const char* unique = nullptr;
        int r = sd_bus_new(out_ptr(bus));
        if (r >= 0) r = sd_bus_set_address(bus.get(), address.c_str());
        if (r >= 0) r = sd_bus_set_bus_client(bus.get(), 1);
        if (r >= 0) r = sd_bus_start(bus.get());
        if (r >= 0) r = sd_bus_get_unique_name(bus.get(), &unique);  // waits for Hello: authenticated as the user
        if (switch_user && (::seteuid(0) < 0 || ::setegid(0) < 0)) {
            say(std::string("cannot become root again: ") + std::strerror(errno));
            std::abort();  // never go on with someone else's identity
        }
        if (r < 0) {
            why = "cannot join the session bus " + address + ": " + std::strerror(-r);
        } else {
            bus_.reset(bus.release());
            sd_bus_set_method_call_timeout(bus_.get(), kCallTimeoutUs);
            sd_bus_match_signal(bus_.get(), out_ptr(action_slot_), kNotifications, kNotificationsPath, kNotifications,
                                "ActionInvoked", &Notifier::on_action, this);
            sd_bus_match_signal(bus_.get(), out_ptr(closed_slot_), kNotifications, kNotificationsPath, kNotifications,
                                "NotificationClosed", &Notifier::on_closed, this);
            last_complaint_.clear();
            return true;
        }
    }
    if (why != last_complaint_) say(why);
    last_complaint_ = why;
    return false;
}

void Notifier::stop_pending(const StopPending& pending, sd_bus* system_bus, std::int64_t now_ms) {
    pending_ = pending;
    deadline_ms_ = now_ms + static_cast<std::int64_t>(pending.in_ms);
    // Told long before: again a minute before it happens.
    reminder_at_ms_.reset();
    if (deadline_ms_ - now_ms > 2 * kRemindBeforeMs) reminder_at_ms_ = deadline_ms_ - kRemindBeforeMs;
    say("the host will " +
        std::string(pending.action == "force-stop"  ? "turn this desk off "
                    : pending.action == "hibernate" ? "hibernate this desk "
                                                    : "shut this desk down ") +
        in_words(deadline_ms_ - now_ms) + " (" + pending.reason + ")");
    show(now_ms, system_bus);
}

void Notifier::on_time(std::int64_t now_ms, sd_bus* system_bus) {
    if (!reminder_at_ms_ || now_ms < *reminder_at_ms_) return;
    reminder_at_ms_.reset();
    if (pending_) show(now_ms, system_bus);
}

void Notifier::show(std::int64_t now_ms, sd_bus* system_bus) {
    if (!connect(system_bus)) return;
    const StopPending& p = *pending_;
    std::int64_t left = deadline_ms_ - now_ms;
    std::string summary = std::string(p.action == "force-stop"  ? "This desk will be turned off "
                                      : p.action == "hibernate" ? "This desk will hibernate "
                                                                : "This desk will shut down ") +
                          in_words(left);
    std::string body = "Why: " + p.reason + ".";
    if (p.reason.rfind("idle", 0) == 0) body += " Moving the mouse or pressing a key keeps it too.";
    std::uint8_t urgency = left <= 2 * kRemindBeforeMs ? 2 : 1;  // critical once it is close
    BusError e;
    BusMessage reply;
    int r = sd_bus_call_method(bus_.get(), kNotifications, kNotificationsPath, kNotifications, "Notify", &e.error,
                               out_ptr(reply), "susssasa{sv}i", "hotseat", id_, "system-shutdown", summary.c_str(),
                               body.c_str(), 2, kKeepAction, "Keep my desk", 1, "urgency", "y", urgency,
                               static_cast<std::int32_t>(std::min<std::int64_t>(left, INT32_MAX)));
    if (r < 0) {
        std::string why = "no notification shown on the session of uid " + std::to_string(uid_) + " (" + e.text(r) +
                          "); is a notification daemon running there?";
        if (why != last_complaint_) say(why);
        last_complaint_ = why;
        if (!sd_bus_is_open(bus_.get())) disconnect();
        return;
    }
    uint32_t id = 0;
    if (sd_bus_message_read(reply.get(), "u", &id) >= 0) id_ = id;
    last_complaint_.clear();
}

void Notifier::stop_cancelled() {
    bool was = pending_.has_value();
    pending_.reset();
    reminder_at_ms_.reset();
    if (was) say("the host cancelled the stop");
    if (!bus_ || id_ == 0) return;
    BusError e;
    sd_bus_call_method(bus_.get(), kNotifications, kNotificationsPath, kNotifications, "CloseNotification", &e.error,
                       nullptr, "u", id_);
    id_ = 0;
}

int Notifier::on_action(sd_bus_message* m, void* self, sd_bus_error*) {
    auto* n = static_cast<Notifier*>(self);
    uint32_t id = 0;
    const char* action = nullptr;
    if (sd_bus_message_read(m, "us", &id, &action) < 0) return 0;
    if (id == 0 || id != n->id_ || !action || std::strcmp(action, kKeepAction) != 0 || !n->pending_) return 0;
    say("\"Keep my desk\": asking the host to postpone the stop by " + std::to_string(n->options_.postpone_s) + " s");
    n->postpone_(n->options_.postpone_s);
    return 0;
}

int Notifier::on_closed(sd_bus_message* m, void* self, sd_bus_error*) {
    auto* n = static_cast<Notifier*>(self);
    uint32_t id = 0;
    if (sd_bus_message_read(m, "u", &id) >= 0 && id == n->id_) n->id_ = 0;
    return 0;
}

int Notifier::fd() const { return bus_ ? sd_bus_get_fd(bus_.get()) : -1; }

short Notifier::poll_events() const { return bus_ ? static_cast<short>(sd_bus_get_events(bus_.get())) : 0; }

std::optional<std::int64_t> Notifier::bus_timeout_ms(std::int64_t now_ms) const {
    uint64_t usec = 0;
    if (!bus_ || sd_bus_get_timeout(bus_.get(), &usec) <= 0 || usec == UINT64_MAX) return std::nullopt;
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    std::uint64_t now_us = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000 +
                           static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
    return now_ms + static_cast<std::int64_t>(usec > now_us ? (usec - now_us) / 1000 : 0);
}

void Notifier::process() {
    if (!bus_) return;
    int r;
    while ((r = sd_bus_process(bus_.get(), nullptr)) > 0) {}
    if (r < 0 || !sd_bus_is_open(bus_.get())) {
        say("the session bus of uid " + std::to_string(uid_) + " went away");
        disconnect();
    }
}

}  // namespace hotseat::guest
