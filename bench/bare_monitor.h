// The baseline every trigger benchmark measures against: a bare libudev monitor on one
// subsystem, set up the way any daemon starts, receiving one device at a time.
#pragma once

typedef struct udev udev;
typedef struct udev_monitor udev_monitor;

namespace hotseat::bench {

class BareMonitor {
public:
    explicit BareMonitor(const char* subsystem);  // throws std::runtime_error
    ~BareMonitor();
    BareMonitor(const BareMonitor&) = delete;
    BareMonitor& operator=(const BareMonitor&) = delete;

    void receive_one();  // throws when nothing comes within 5 s

private:
    udev* udev_;
    udev_monitor* mon_;
};

}  // namespace hotseat::bench
