// hotseat-guest: the guest side of the guest channel (DESIGN §5.5, docs/guest-channel.md). Runs
// inside the VM, where the passed-through GPU and keyboard are visible, and reports to hotseatd
// what the host cannot see while the guest owns them: DRM connector status changes (udev `drm`
// uevents, then each connector's `status`) and input activity (any bytes from an evdev keyboard
// or mouse), coalesced to at most one line every `input_interval_ms` while input continues.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "helper/port.h"

struct udev;
struct udev_monitor;

namespace hotseat::guest {

struct HelperOptions {
    std::string port = "/dev/virtio-ports/org.hotseat.guest.0";
    std::int64_t input_interval_ms = 10'000;
    std::int64_t hello_interval_ms = 60'000;  // hello again now and then: the host may have restarted
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
    void maybe_send_input(std::int64_t now);
    std::int64_t poll_timeout(std::int64_t now) const;

    HelperOptions options_;
    Port port_;
    struct udev* udev_ = nullptr;
    struct udev_monitor* monitor_ = nullptr;
    std::map<std::string, bool> connectors_;  // "card0-HDMI-A-1" -> connected
    std::map<std::string, int> inputs_;       // syspath -> fd
    bool host_connected_ = true;
    std::int64_t last_input_ms_ = -1;
    std::int64_t input_sent_ms_ = -1;
    bool input_pending_ = false;
    std::int64_t hello_at_ms_ = 0;
};

std::int64_t monotonic_ms();

}  // namespace hotseat::guest
