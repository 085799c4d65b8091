#include "state_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace hotseat::bench {

namespace {

void check(int r, const std::string& what) {
    if (r < 0) throw std::runtime_error(what + ": " + std::strerror(-r));
}

// The value of State in a PropertiesChanged's changed-properties dictionary, if it is there.
bool read_state(sd_bus_message* m, std::string* state) {
    const char* interface = nullptr;
    if (sd_bus_message_read(m, "s", &interface) < 0 || sd_bus_message_enter_container(m, 'a', "{sv}") < 0) return false;
    while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
        const char* name = nullptr;
        if (sd_bus_message_read(m, "s", &name) < 0) return false;
        if (std::strcmp(name, "State") == 0) {
            const char* value = nullptr;
            if (sd_bus_message_read(m, "v", "s", &value) < 0) return false;
            *state = value;
            return true;
        }
        if (sd_bus_message_skip(m, "v") < 0 || sd_bus_message_exit_container(m) < 0) return false;
    }
    return false;
}

}  // namespace

StateWatcher::StateWatcher(const std::string& bus_address, const std::string& path) {
    check(sd_bus_new(&bus_), "sd_bus_new");
    check(sd_bus_set_address(bus_, bus_address.c_str()), "bus address");
    check(sd_bus_set_bus_client(bus_, 1), "bus client");
    check(sd_bus_start(bus_), "connect to " + bus_address);
    check(sd_bus_match_signal(bus_, nullptr, "org.hotseat.Supervisor1", path.c_str(), "org.freedesktop.DBus.Properties",
                              "PropertiesChanged", &StateWatcher::on_properties_changed, this),
          "match PropertiesChanged");
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_fd_ < 0) throw std::runtime_error("eventfd failed");
    thread_ = std::thread([this] { run(); });
}

StateWatcher::~StateWatcher() {
    std::uint64_t one = 1;
    if (::write(stop_fd_, &one, sizeof one) < 0) std::terminate();  // the thread would never end
    thread_.join();
    ::close(stop_fd_);
    sd_bus_flush_close_unref(bus_);
}

void StateWatcher::run() {
    for (;;) {
        int r;
        while ((r = sd_bus_process(bus_, nullptr)) > 0) {}
        if (r < 0) return;  // the bus went away: waiters time out and say so
        pollfd fds[2] = {{sd_bus_get_fd(bus_), static_cast<short>(sd_bus_get_events(bus_)), 0}, {stop_fd_, POLLIN, 0}};
        ::poll(fds, 2, -1);
        if (fds[1].revents) return;
    }
}

int StateWatcher::on_properties_changed(sd_bus_message* message, void* self, sd_bus_error*) {
    auto now = Clock::now();
    auto* watcher = static_cast<StateWatcher*>(self);
    std::string state;
    if (!read_state(message, &state)) return 0;
    std::lock_guard lock(watcher->mutex_);
    watcher->changes_.emplace_back(std::move(state), now);
    watcher->cv_.notify_all();
    return 0;
}

Clock::time_point StateWatcher::wait_for(const std::function<bool(const std::string&)>& pred) {
    std::unique_lock lock(mutex_);
    Clock::time_point at;
    auto arrived = [&] {
        for (size_t i = from_; i < changes_.size(); ++i)
            if (pred(changes_[i].first)) {
                at = changes_[i].second;
                from_ = i;
                return true;
            }
        return false;
    };
    if (!cv_.wait_for(lock, std::chrono::seconds(10), arrived))
        throw std::runtime_error("State did not change as expected within 10 s (is " +
                                 (changes_.empty() ? std::string("off") : changes_.back().first) + ")");
    return at;
}

double plug_cycle(StateWatcher& watcher, const std::function<Clock::time_point()>& plug,
                  const std::function<void()>& unplug) {
    auto t0 = plug();
    auto t1 = watcher.wait_for([](const std::string& st) { return st != "off"; });
    watcher.wait_for([](const std::string& st) { return st == "running"; });
    unplug();
    watcher.wait_for([](const std::string& st) { return st == "off"; });
    return micros(t1 - t0);
}

void measure_state_latency(Stats& into, StateWatcher& watcher, const std::function<Clock::time_point()>& plug,
                           const std::function<void()>& unplug, int n) {
    plug_cycle(watcher, plug, unplug);  // the warm-up
    for (int i = 0; i < n; ++i) into.samples.push_back(plug_cycle(watcher, plug, unplug));
}

}  // namespace hotseat::bench
