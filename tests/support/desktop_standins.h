// Stand-ins for what a desktop guest has on its buses, for the guest helper's tests: logind
// (org.freedesktop.login1: BlockInhibited, ListInhibitors, ListSessions and the sessions'
// Active/Class/Type) on the guest's system bus, and a notification daemon
// (org.freedesktop.Notifications) on a user's session bus that records what it is asked to
// show and can click "Keep my desk". Each serves its bus on its own thread; the test talks to
// it only through the methods here, which run on that thread.
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hotseat::test {

// One bus connection served by its own sd-event loop thread.
class BusThread {
public:
    explicit BusThread(std::string address);  // throws std::runtime_error when it cannot connect
    virtual ~BusThread();
    BusThread(const BusThread&) = delete;
    BusThread& operator=(const BusThread&) = delete;

protected:
    // Runs `f` on the bus thread and waits for it.
    void call(const std::function<void(sd_bus*)>& f);

private:
    void loop(std::promise<std::string> ready);
    static int on_wake(sd_event_source*, int fd, uint32_t, void* self);

    std::string address_;
    sd_event* event_ = nullptr;
    sd_bus* bus_ = nullptr;
    int wake_fd_ = -1;
    std::mutex mutex_;
    std::deque<std::pair<std::function<void(sd_bus*)>, std::promise<void>>> queue_;
    std::thread thread_;
};

struct LogindInhibitor {
    std::string what, who, why, mode = "block";
    std::uint32_t uid = 0, pid = 0;
};

struct LogindSession {
    std::string id;
    std::uint32_t uid = 0;
    std::string type = "x11";
    std::string session_class = "user";
    bool active = true;
};

class LogindStandIn : public BusThread {
public:
    explicit LogindStandIn(std::string address);
    ~LogindStandIn() override;
    void set_block_inhibited(const std::string& what);  // "handle-power-key:idle"
    void set_inhibitors(const std::vector<LogindInhibitor>& inhibitors);
    void add_session(const LogindSession& session);

    struct State {
        std::string block_inhibited;
        std::vector<LogindInhibitor> inhibitors;
        std::list<LogindSession> sessions;
        std::vector<sd_bus_slot*> slots;
    };

private:
    State state_;  // touched on the bus thread only
};

struct ShownNotification {
    std::uint32_t id = 0;
    std::string app, summary, body;
    std::uint32_t replaces = 0;
    std::vector<std::string> actions;  // key, label, key, label ...
    int urgency = -1;
    std::int32_t expire_ms = 0;
    uid_t caller_euid = static_cast<uid_t>(-1);  // who asked, as the bus says
};

class NotificationsStandIn : public BusThread {
public:
    explicit NotificationsStandIn(std::string address);
    ~NotificationsStandIn() override;
    std::vector<ShownNotification> shown();
    std::vector<std::uint32_t> closed();
    // The user clicks an action of notification `id` (ActionInvoked).
    void invoke(std::uint32_t id, const std::string& action);

    struct State {
        std::vector<ShownNotification> shown;
        std::vector<std::uint32_t> closed;
        std::uint32_t next_id = 1;
        sd_bus_slot* slot = nullptr;
    };

private:
    State state_;
};

}  // namespace hotseat::test
