// hotseat-guest: the guest side of the guest channel (docs/guest-channel.md). Runs
// inside the VM, where the passed-through GPU and keyboard are visible, and reports to hotseatd
// what the host cannot see while the guest owns them: DRM connector status changes (udev `drm`
// uevents, then each connector's `status`) and input activity (any bytes from an evdev keyboard,
// mouse or gamepad), coalesced to at most one line every `input_interval_ms` while input continues.
// With a host that speaks protocol 2 it also reports what holds idle (audio playing, a logind
// idle inhibitor), shows the host's pending stops as desktop notifications (notifier.h), and
// reports the hotkey chords the host names in its hello when they go down (chord_watch.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "guest/line_reader.h"
#include "guest/protocol.h"
#include "helper/chord_watch.h"
#include "helper/notifier.h"
#include "helper/port.h"
#include "util/fd.h"
#include "util/sd_handles.h"
#include "util/udev_handles.h"

namespace hotseat::guest {

struct HelperOptions {
    std::string port = "/dev/virtio-ports/org.hotseat.guest.0";
    std::int64_t input_interval_ms = 10'000;
    std::int64_t hello_interval_ms = 60'000;    // hello again now and then: the host may have restarted
    std::int64_t inhibit_interval_ms = 15'000;  // how often audio and logind's inhibitors are read
    std::string asound_root = "/proc/asound";
    NotifierOptions notifier;
};

class Helper {
public:
    explicit Helper(HelperOptions options);
    ~Helper();
    Helper(const Helper&) = delete;
    Helper& operator=(const Helper&) = delete;

    // Runs until the port's other end closes for good (socket or pty) or a fatal error; returns
    // the exit status.
    int run();

private:
    bool setup(std::string* error);
    void say_hello();
    void scan_connectors(bool initial);
    void scan_inputs();
    void open_input(const std::string& syspath, const char* devnode);
    void on_uevent();
    void on_input(int fd);
    void close_input(std::map<std::string, util::UniqueFd>::iterator it);
    void on_key_bytes(int fd, const char* bytes, std::size_t n);
    void set_hotkeys(const std::vector<std::vector<std::string>>& hotkeys);
    void maybe_send_input(std::int64_t now);
    std::int64_t poll_timeout(std::int64_t now) const;
    bool read_host();  // false: the host's end closed for good
    void on_host_line(const std::string& line);
    void check_inhibitors(std::int64_t now, bool resend);
    sd_bus* system_bus();

    HelperOptions options_;
    Port port_;
    util::Udev udev_;
    util::UdevMonitor monitor_;                      // after udev_: dropped before it
    std::map<std::string, bool> connectors_;         // "card0-HDMI-A-1" -> connected
    std::map<std::string, util::UniqueFd> inputs_;   // syspath -> fd
    std::map<int, std::string> partial_events_;      // fd -> the start of an input_event not read whole yet
    ChordWatch chords_;                              // protocol 2: the host's hotkeys
    std::vector<std::vector<std::string>> hotkeys_;  // as the host named them last
    bool host_connected_ = true;
    std::int64_t last_input_ms_ = -1;
    std::int64_t input_sent_ms_ = -1;
    bool input_pending_ = false;
    std::int64_t hello_at_ms_ = 0;
    // Protocol 2: what the host says, and what this helper tells it.
    LineReader host_reader_{kMaxLineBytes};
    bool host_v2_ = false;       // the host answered hello with protocol 2
    std::string inhibit_sent_;   // the reason last sent; empty: not held
    bool inhibit_told_ = false;  // the host has heard the current state
    std::int64_t inhibit_at_ms_ = 0;
    util::Bus system_bus_;  // logind: inhibitors and sessions; opened when first needed
    bool system_bus_complained_ = false;
    std::string logind_complaint_;
    Notifier notifier_;
};

std::int64_t monotonic_ms();

}  // namespace hotseat::guest
