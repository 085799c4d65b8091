#include "helper/helper.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <libudev.h>
#include <poll.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "guest/protocol.h"
#include "helper/inhibitors.h"

namespace hotseat::guest {
namespace {

constexpr std::size_t kMaxInputs = 64;
constexpr std::size_t kMaxReadPerWakeup = 64 * 1024;  // from the host, then the loop goes round
constexpr std::size_t kInhibitReasonBytes = 120;      // below the protocol's 128: room to spare

void say(const std::string& message) { std::fprintf(stderr, "hotseat-guest: %s\n", message.c_str()); }

bool starts_with(const char* s, const char* prefix) { return s && std::strncmp(s, prefix, std::strlen(prefix)) == 0; }

// Keyboards, pointing devices and gamepads count as someone at the desk; everything else (power
// button, lid switch, accelerometers) does not.
bool is_human_input(struct udev_device* dev) {
    for (const char* key :
         {"ID_INPUT_KEYBOARD", "ID_INPUT_MOUSE", "ID_INPUT_TOUCHPAD", "ID_INPUT_TABLET", "ID_INPUT_JOYSTICK"}) {
        const char* v = udev_device_get_property_value(dev, key);
        if (v && std::strcmp(v, "1") == 0) return true;
    }
    return false;
}

}  // namespace

std::int64_t monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

Helper::Helper(HelperOptions options)
    : options_(std::move(options)), port_(options_.port), notifier_(options_.notifier, [this](std::uint32_t seconds) {
          if (host_v2_) port_.queue(encode(Postpone{seconds}));
      }) {}

Helper::~Helper() = default;

bool Helper::setup(std::string* error) {
    if (!port_.open(error)) return false;
    udev_.reset(udev_new());
    if (!udev_) return *error = "udev_new failed", false;
    monitor_.reset(udev_monitor_new_from_netlink(udev_.get(), "udev"));
    if (!monitor_ || udev_monitor_filter_add_match_subsystem_devtype(monitor_.get(), "drm", nullptr) < 0 ||
        udev_monitor_filter_add_match_subsystem_devtype(monitor_.get(), "input", nullptr) < 0 ||
        udev_monitor_enable_receiving(monitor_.get()) < 0)
        return *error = "cannot listen to udev", false;
    return true;
}

void Helper::say_hello() {
    port_.queue(encode(Hello{kProtocolVersion, HOTSEAT_VERSION}));
    hello_at_ms_ = monotonic_ms() + options_.hello_interval_ms;
}

// Reads every connector's status; reports the ones that changed. A connector seen for the first
// time (helper start, a driver loading) is reported with initial, so the host records it only.
// Only definite statuses count: `unknown` (registered, not probed yet) is "not known yet"
// (docs/guest-channel.md), never reported, so never an unplug; the next definite one is compared with the last one
// reported.
void Helper::scan_connectors(bool initial) {
    util::UdevEnumerate e(udev_enumerate_new(udev_.get()));
    udev_enumerate_add_match_subsystem(e.get(), "drm");
    udev_enumerate_scan_devices(e.get());
    struct udev_list_entry* entry;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e.get())) {
        util::UdevDevice dev(udev_device_new_from_syspath(udev_.get(), udev_list_entry_get_name(entry)));
        if (!dev) continue;
        const char* status = udev_device_get_sysattr_value(dev.get(), "status");
        std::string name = udev_device_get_sysname(dev.get());
        auto dash = name.find('-');
        bool connected = starts_with(status, "connected");
        bool definite = connected || starts_with(status, "disconnected");
        if (definite && dash != std::string::npos) {
            auto known = connectors_.find(name);
            bool fresh = known == connectors_.end();
            if (initial || fresh || known->second != connected)
                port_.queue(
                    encode(Connector{name.substr(0, dash), name.substr(dash + 1), connected, initial || fresh}));
            connectors_[name] = connected;
        }
    }
}

void Helper::scan_inputs() {
    util::UdevEnumerate e(udev_enumerate_new(udev_.get()));
    udev_enumerate_add_match_subsystem(e.get(), "input");
    udev_enumerate_scan_devices(e.get());
    struct udev_list_entry* entry;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e.get())) {
        util::UdevDevice dev(udev_device_new_from_syspath(udev_.get(), udev_list_entry_get_name(entry)));
        if (!dev) continue;
        if (is_human_input(dev.get()))
            open_input(udev_device_get_syspath(dev.get()), udev_device_get_devnode(dev.get()));
    }
}

void Helper::open_input(const std::string& syspath, const char* devnode) {
    if (!starts_with(devnode, "/dev/input/event") || inputs_.count(syspath) || inputs_.size() >= kMaxInputs) return;
    util::UniqueFd fd(::open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!fd) return say(std::string(devnode) + ": " + std::strerror(errno) + " (input not watched)");
    inputs_[syspath] = std::move(fd);
}

void Helper::on_uevent() {
    util::UdevDevice dev(udev_monitor_receive_device(monitor_.get()));
    if (!dev) return;
    const char* subsystem = udev_device_get_subsystem(dev.get());
    const char* action = udev_device_get_action(dev.get());
    std::string syspath = udev_device_get_syspath(dev.get());
    if (subsystem && std::strcmp(subsystem, "drm") == 0) {
        scan_connectors(false);
    } else if (action && std::strcmp(action, "remove") == 0) {
        if (auto it = inputs_.find(syspath); it != inputs_.end()) close_input(it);
    } else if (is_human_input(dev.get())) {
        open_input(syspath, udev_device_get_devnode(dev.get()));
    }
}

void Helper::close_input(std::map<std::string, util::UniqueFd>::iterator it) {
    int fd = it->second.get();
    chords_.forget(fd);
    partial_events_.erase(fd);
    inputs_.erase(it);  // closes it
}

// Any bytes from an input node are someone at the desk. What was pressed matters only for the
// chords the host asked for (on_key_bytes); no other key is remembered or sent.
void Helper::on_input(int fd) {
    char buffer[1024];
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n > 0) {
        last_input_ms_ = monotonic_ms();
        input_pending_ = true;
        if (!chords_.empty()) on_key_bytes(fd, buffer, static_cast<std::size_t>(n));
        return;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {  // gone: its remove uevent may not come
        for (auto it = inputs_.begin(); it != inputs_.end(); ++it)
            if (it->second.get() == fd) return close_input(it);
    }
}

// evdev hands out whole input_event records; a node that is a pty (umockdev, tests) may split
// one, so the rest waits for the next read.
void Helper::on_key_bytes(int fd, const char* bytes, std::size_t n) {
    std::string& data = partial_events_[fd];
    data.append(bytes, n);
    std::size_t at = 0;
    for (; data.size() - at >= sizeof(input_event); at += sizeof(input_event)) {
        input_event ev{};
        std::memcpy(&ev, data.data() + at, sizeof ev);
        if (ev.type != EV_KEY) continue;
        for (auto& keys : chords_.on_key(fd, ev.code, ev.value)) {
            say("hotkey " + keys.front() + (keys.size() > 1 ? "+..." : "") + " pressed: telling the host");
            if (host_v2_) port_.queue(encode(Hotkey{std::move(keys)}));
        }
    }
    data.erase(0, at);
}

void Helper::maybe_send_input(std::int64_t now) {
    if (!input_pending_ || (input_sent_ms_ >= 0 && now - input_sent_ms_ < options_.input_interval_ms)) return;
    port_.queue(encode(Input{static_cast<std::uint32_t>(now - last_input_ms_)}));
    input_sent_ms_ = now;
    input_pending_ = false;
}

sd_bus* Helper::system_bus() {
    if (system_bus_) return system_bus_.get();
    int r = sd_bus_open_system(util::out_ptr(system_bus_));
    if (r < 0) {
        if (!system_bus_complained_)
            say(std::string("no system bus (") + std::strerror(-r) +
                "): logind's idle inhibitors are not watched and nobody is warned on the screen");
        system_bus_complained_ = true;
        return nullptr;
    }
    sd_bus_set_method_call_timeout(system_bus_.get(), 2'000'000);
    system_bus_complained_ = false;
    return system_bus_.get();
}

// Audio and logind's idle inhibitors have no event to wait for: read every inhibit_interval_ms,
// and told to the host when the answer changes (or when `resend`: a host that just said hello).
void Helper::check_inhibitors(std::int64_t now, bool resend) {
    if (!resend && now < inhibit_at_ms_) return;
    inhibit_at_ms_ = now + options_.inhibit_interval_ms;
    std::vector<std::string> reasons{audio_playing(options_.asound_root)};
    if (sd_bus* bus = system_bus()) {
        std::string error;
        reasons.push_back(logind_idle_inhibitor(bus, &error));
        if (error != logind_complaint_ && !error.empty()) say("cannot read logind's inhibitors: " + error);
        logind_complaint_ = error;
        if (!error.empty() && !sd_bus_is_open(bus)) system_bus_.reset();
    }
    std::string reason = join_reasons(reasons, kInhibitReasonBytes);
    if (reason != inhibit_sent_) {
        say(reason.empty() ? "nothing holds idle any more" : "idle is held: " + reason);
        inhibit_told_ = false;
    }
    inhibit_sent_ = reason;
    if (!host_v2_ || (inhibit_told_ && !resend)) return;
    port_.queue(encode(Inhibit{!reason.empty(), reason}));
    inhibit_told_ = true;
}

void Helper::on_host_line(const std::string& line) {
    HostParseResult parsed = parse_host_line(line);
    if (!parsed.message) return say("the host sent a line this helper cannot read: " + parsed.error);
    std::int64_t now = monotonic_ms();
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, HostHello>) {
                bool was = host_v2_;
                host_v2_ = m.protocol >= 2;
                if (host_v2_ && !was) say("the host (hotseatd " + m.host_version + ") speaks protocol 2");
                if (host_v2_) check_inhibitors(now, true);
                set_hotkeys(host_v2_ ? m.hotkeys : std::vector<std::vector<std::string>>{});
            } else if constexpr (std::is_same_v<T, StopPending>) {
                notifier_.stop_pending(m, system_bus(), now);
            } else if constexpr (std::is_same_v<T, StopCancelled>) {
                notifier_.stop_cancelled();
            }
        },
        *parsed.message);
}

// The host's hello names the chords to watch (again with every hello: a reload may change them).
void Helper::set_hotkeys(const std::vector<std::vector<std::string>>& hotkeys) {
    if (hotkeys == hotkeys_) return;
    hotkeys_ = hotkeys;
    for (const auto& name : chords_.set_chords(hotkeys))
        say("the host's hotkey key " + name + " is unknown to this guest's libevdev: its chord is not watched");
    partial_events_.clear();
    say("watching " + std::to_string(hotkeys.size()) + " hotkey chord(s) the host named");
}

// What the host writes: protocol 2 lines. False when the other end is gone for good.
bool Helper::read_host() {
    char buffer[4096];
    std::size_t total = 0;
    while (total < kMaxReadPerWakeup) {
        ssize_t n = ::read(port_.fd(), buffer, sizeof(buffer));
        if (n == 0) return !port_.is_socket();
        if (n < 0) return errno == EAGAIN || errno == EINTR || !port_.is_socket();
        total += static_cast<std::size_t>(n);
        for (const auto& chunk : host_reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n))))
            if (!chunk.oversized && !chunk.line.empty()) on_host_line(chunk.line);
    }
    return true;
}

std::int64_t Helper::poll_timeout(std::int64_t now) const {
    std::int64_t next = std::min(hello_at_ms_, inhibit_at_ms_);
    if (auto t = notifier_.next_time_ms()) next = std::min(next, *t);
    if (auto t = notifier_.bus_timeout_ms(now)) next = std::min(next, *t);
    if (input_pending_) next = std::min(next, input_sent_ms_ + options_.input_interval_ms);
    if (!host_connected_) next = std::min(next, now + 1000);  // look for the host once a second
    return std::max<std::int64_t>(0, next - now);
}

int Helper::run() {
    std::string error;
    if (!setup(&error)) {
        say(error);
        return 1;
    }
    say_hello();
    scan_connectors(true);
    scan_inputs();
    while (true) {
        std::int64_t now = monotonic_ms();
        if (now >= hello_at_ms_) say_hello();
        maybe_send_input(now);
        check_inhibitors(now, false);
        notifier_.on_time(now, system_bus_.get());
        std::vector<pollfd> fds;
        fds.push_back({udev_monitor_get_fd(monitor_.get()), POLLIN, 0});
        fds.push_back(
            {host_connected_ ? port_.fd() : -1, static_cast<short>(POLLIN | (port_.pending() ? POLLOUT : 0)), 0});
        fds.push_back({notifier_.fd(), notifier_.poll_events(), 0});
        for (const auto& [path, fd] : inputs_) fds.push_back({fd.get(), POLLIN, 0});
        if (::poll(fds.data(), fds.size(), static_cast<int>(poll_timeout(now))) < 0 && errno != EINTR) {
            say(std::string("poll: ") + std::strerror(errno));
            return 1;
        }
        if (!host_connected_) {
            pollfd probe{port_.fd(), POLLOUT, 0};
            if (::poll(&probe, 1, 0) == 1 && !(probe.revents & POLLHUP)) {
                host_connected_ = true;  // the host is listening again: tell it everything afresh
                host_v2_ = false;        // until it answers the hello
                host_reader_.reset();
                say_hello();
                scan_connectors(true);
            }
        }
        short port_events = fds[1].revents;
        if (port_events & (POLLHUP | POLLERR)) {
            if (port_.is_socket()) {
                say("the host closed the channel");
                return 0;
            }
            host_connected_ = false;  // a virtio port with nobody on the host side: wait
            port_.clear();
        } else if (port_events & POLLIN) {
            if (!read_host()) return 0;
        }
        if (host_connected_ && !port_.flush(&error)) {
            say(error);
            return 1;
        }
        if (fds[0].revents & POLLIN) on_uevent();
        notifier_.process();  // also what its timeout asked for
        for (std::size_t i = 3; i < fds.size(); ++i)
            if (fds[i].revents) on_input(fds[i].fd);
    }
}

}  // namespace hotseat::guest
