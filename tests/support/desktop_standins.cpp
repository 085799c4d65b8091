#include "desktop_standins.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace hotseat::test {
namespace {

constexpr const char* kLogindPath = "/org/freedesktop/login1";
constexpr const char* kNotificationsPath = "/org/freedesktop/Notifications";
constexpr const char* kNotifications = "org.freedesktop.Notifications";

void check(int r, const char* what) {
    if (r < 0) throw std::runtime_error(std::string(what) + ": " + std::strerror(-r));
}

// ---- logind ----

int get_block_inhibited(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply, void* state,
                        sd_bus_error*) {
    return sd_bus_message_append(reply, "s", static_cast<LogindStandIn::State*>(state)->block_inhibited.c_str());
}

int list_inhibitors(sd_bus_message* m, void* state, sd_bus_error*) {
    sd_bus_message* reply = nullptr;
    int r = sd_bus_message_new_method_return(m, &reply);
    if (r >= 0) r = sd_bus_message_open_container(reply, 'a', "(ssssuu)");
    for (const auto& i : static_cast<LogindStandIn::State*>(state)->inhibitors)
        if (r >= 0)
            r = sd_bus_message_append(reply, "(ssssuu)", i.what.c_str(), i.who.c_str(), i.why.c_str(), i.mode.c_str(),
                                      i.uid, i.pid);
    if (r >= 0) r = sd_bus_message_close_container(reply);
    if (r >= 0) r = sd_bus_send(nullptr, reply, nullptr);
    sd_bus_message_unref(reply);
    return r;
}

std::string session_path(const std::string& id) { return std::string(kLogindPath) + "/session/_3" + id; }

int list_sessions(sd_bus_message* m, void* state, sd_bus_error*) {
    sd_bus_message* reply = nullptr;
    int r = sd_bus_message_new_method_return(m, &reply);
    if (r >= 0) r = sd_bus_message_open_container(reply, 'a', "(susso)");
    for (const auto& s : static_cast<LogindStandIn::State*>(state)->sessions)
        if (r >= 0)
            r = sd_bus_message_append(reply, "(susso)", s.id.c_str(), s.uid, "user", "seat0",
                                      session_path(s.id).c_str());
    if (r >= 0) r = sd_bus_message_close_container(reply);
    if (r >= 0) r = sd_bus_send(nullptr, reply, nullptr);
    sd_bus_message_unref(reply);
    return r;
}

int get_session_property(sd_bus*, const char*, const char*, const char* property, sd_bus_message* reply, void* session,
                         sd_bus_error*) {
    const auto* s = static_cast<const LogindSession*>(session);
    if (std::strcmp(property, "Active") == 0) return sd_bus_message_append(reply, "b", s->active ? 1 : 0);
    if (std::strcmp(property, "Class") == 0) return sd_bus_message_append(reply, "s", s->session_class.c_str());
    return sd_bus_message_append(reply, "s", s->type.c_str());
}

const sd_bus_vtable kManagerVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("BlockInhibited", "s", get_block_inhibited, 0, 0),
    SD_BUS_METHOD("ListInhibitors", "", "a(ssssuu)", list_inhibitors, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("ListSessions", "", "a(susso)", list_sessions, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_VTABLE_END,
};

const sd_bus_vtable kSessionVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("Active", "b", get_session_property, 0, 0),
    SD_BUS_PROPERTY("Class", "s", get_session_property, 0, 0),
    SD_BUS_PROPERTY("Type", "s", get_session_property, 0, 0),
    SD_BUS_VTABLE_END,
};

// ---- notifications ----

int read_hints(sd_bus_message* m, ShownNotification& n) {
    int r = sd_bus_message_enter_container(m, 'a', "{sv}");
    while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        const char* key = nullptr;
        r = sd_bus_message_read(m, "s", &key);
        if (r >= 0 && std::strcmp(key, "urgency") == 0) {
            uint8_t urgency = 0;
            r = sd_bus_message_read(m, "v", "y", &urgency);
            n.urgency = urgency;
        } else if (r >= 0) {
            r = sd_bus_message_skip(m, "v");
        }
        if (r >= 0) r = sd_bus_message_exit_container(m);
    }
    if (r >= 0) r = sd_bus_message_exit_container(m);
    return r;
}

int notify(sd_bus_message* m, void* state, sd_bus_error*) {
    auto* st = static_cast<NotificationsStandIn::State*>(state);
    ShownNotification n;
    const char *app = nullptr, *icon = nullptr, *summary = nullptr, *body = nullptr;
    int r = sd_bus_message_read(m, "susss", &app, &n.replaces, &icon, &summary, &body);
    if (r < 0) return r;
    n.app = app;
    n.summary = summary;
    n.body = body;
    char** actions = nullptr;
    if ((r = sd_bus_message_read_strv(m, &actions)) < 0) return r;
    for (char** a = actions; a && *a; ++a) {
        n.actions.emplace_back(*a);
        std::free(*a);
    }
    std::free(actions);
    if ((r = read_hints(m, n)) < 0) return r;
    if ((r = sd_bus_message_read(m, "i", &n.expire_ms)) < 0) return r;
    sd_bus_creds* creds = nullptr;
    if (sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &creds) >= 0) {
        sd_bus_creds_get_euid(creds, &n.caller_euid);
        sd_bus_creds_unref(creds);
    }
    n.id = n.replaces ? n.replaces : st->next_id++;
    st->shown.push_back(n);
    return sd_bus_reply_method_return(m, "u", n.id);
}

int close_notification(sd_bus_message* m, void* state, sd_bus_error*) {
    auto* st = static_cast<NotificationsStandIn::State*>(state);
    uint32_t id = 0;
    int r = sd_bus_message_read(m, "u", &id);
    if (r < 0) return r;
    st->closed.push_back(id);
    sd_bus_emit_signal(sd_bus_message_get_bus(m), kNotificationsPath, kNotifications, "NotificationClosed", "uu", id,
                       3u);
    return sd_bus_reply_method_return(m, "");
}

int capabilities(sd_bus_message* m, void*, sd_bus_error*) {
    return sd_bus_reply_method_return(m, "as", 2, "actions", "body");
}

int server_information(sd_bus_message* m, void*, sd_bus_error*) {
    return sd_bus_reply_method_return(m, "ssss", "standin", "hotseat tests", "1", "1.2");
}

const sd_bus_vtable kNotificationsVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Notify", "susssasa{sv}i", "u", notify, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("CloseNotification", "u", "", close_notification, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("GetCapabilities", "", "as", capabilities, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("GetServerInformation", "", "ssss", server_information, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_SIGNAL("ActionInvoked", "us", 0),
    SD_BUS_SIGNAL("NotificationClosed", "uu", 0),
    SD_BUS_VTABLE_END,
};

}  // namespace

// ---- BusThread ----

BusThread::BusThread(std::string address) : address_(std::move(address)) {
    std::promise<std::string> ready;
    auto started = ready.get_future();
    thread_ = std::thread([this, p = std::move(ready)]() mutable { loop(std::move(p)); });
    std::string error = started.get();
    if (!error.empty()) {
        thread_.join();
        throw std::runtime_error(error);
    }
}

BusThread::~BusThread() {
    if (thread_.joinable()) {
        call([this](sd_bus*) { sd_event_exit(event_, 0); });
        thread_.join();
    }
}

void BusThread::loop(std::promise<std::string> ready) {
    try {
        check(sd_event_new(&event_), "sd_event_new");
        check(sd_bus_new(&bus_), "sd_bus_new");
        check(sd_bus_set_address(bus_, address_.c_str()), "sd_bus_set_address");
        check(sd_bus_set_bus_client(bus_, 1), "sd_bus_set_bus_client");
        check(sd_bus_start(bus_), ("connecting to " + address_).c_str());
        check(sd_bus_attach_event(bus_, event_, 0), "sd_bus_attach_event");
        wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        check(sd_event_add_io(event_, nullptr, wake_fd_, EPOLLIN, &BusThread::on_wake, this), "wake source");
    } catch (const std::exception& e) {
        ready.set_value(e.what());
        return;
    }
    ready.set_value("");
    sd_event_loop(event_);
    sd_bus_flush_close_unref(bus_);
    sd_event_unref(event_);
    ::close(wake_fd_);
}

void BusThread::call(const std::function<void(sd_bus*)>& f) {
    std::promise<void> done;
    auto finished = done.get_future();
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(f, std::move(done));
    }
    std::uint64_t one = 1;
    if (::write(wake_fd_, &one, sizeof one) < 0) throw std::runtime_error("cannot wake the bus thread");
    finished.get();
}

int BusThread::on_wake(sd_event_source*, int fd, uint32_t, void* self) {
    auto* t = static_cast<BusThread*>(self);
    std::uint64_t count = 0;
    if (::read(fd, &count, sizeof count) < 0) return 0;
    while (true) {
        std::pair<std::function<void(sd_bus*)>, std::promise<void>> job;
        {
            std::lock_guard lock(t->mutex_);
            if (t->queue_.empty()) break;
            job = std::move(t->queue_.front());
            t->queue_.pop_front();
        }
        try {
            job.first(t->bus_);
            job.second.set_value();
        } catch (...) {
            job.second.set_exception(std::current_exception());
        }
    }
    return 0;
}

// ---- LogindStandIn ----

LogindStandIn::LogindStandIn(std::string address) : BusThread(std::move(address)) {
    call([this](sd_bus* bus) {
        sd_bus_slot* slot = nullptr;
        check(sd_bus_add_object_vtable(bus, &slot, kLogindPath, "org.freedesktop.login1.Manager", kManagerVtable,
                                       &state_),
              "logind vtable");
        state_.slots.push_back(slot);
        check(sd_bus_request_name(bus, "org.freedesktop.login1", 0), "owning org.freedesktop.login1");
    });
}

LogindStandIn::~LogindStandIn() {
    call([this](sd_bus*) {
        for (auto* slot : state_.slots) sd_bus_slot_unref(slot);
        state_.slots.clear();
    });
}

void LogindStandIn::set_block_inhibited(const std::string& what) {
    call([&](sd_bus*) { state_.block_inhibited = what; });
}

void LogindStandIn::set_inhibitors(const std::vector<LogindInhibitor>& inhibitors) {
    call([&](sd_bus*) { state_.inhibitors = inhibitors; });
}

void LogindStandIn::add_session(const LogindSession& session) {
    call([&](sd_bus* bus) {
        state_.sessions.push_back(session);
        sd_bus_slot* slot = nullptr;
        check(sd_bus_add_object_vtable(bus, &slot, session_path(session.id).c_str(), "org.freedesktop.login1.Session",
                                       kSessionVtable, &state_.sessions.back()),
              "session vtable");
        state_.slots.push_back(slot);
    });
}

// ---- NotificationsStandIn ----

NotificationsStandIn::NotificationsStandIn(std::string address) : BusThread(std::move(address)) {
    call([this](sd_bus* bus) {
        check(sd_bus_add_object_vtable(bus, &state_.slot, kNotificationsPath, kNotifications, kNotificationsVtable,
                                       &state_),
              "notifications vtable");
        check(sd_bus_request_name(bus, kNotifications, 0), "owning org.freedesktop.Notifications");
    });
}

NotificationsStandIn::~NotificationsStandIn() {
    call([this](sd_bus*) { state_.slot = sd_bus_slot_unref(state_.slot); });
}

std::vector<ShownNotification> NotificationsStandIn::shown() {
    std::vector<ShownNotification> out;
    call([&](sd_bus*) { out = state_.shown; });
    return out;
}

std::vector<std::uint32_t> NotificationsStandIn::closed() {
    std::vector<std::uint32_t> out;
    call([&](sd_bus*) { out = state_.closed; });
    return out;
}

void NotificationsStandIn::invoke(std::uint32_t id, const std::string& action) {
    call([&](sd_bus* bus) {
        check(sd_bus_emit_signal(bus, kNotificationsPath, kNotifications, "ActionInvoked", "us", id, action.c_str()),
              "ActionInvoked");
    });
}

}  // namespace hotseat::test
