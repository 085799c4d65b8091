#include "bare_monitor.h"

#include <libudev.h>
#include <poll.h>

#include <stdexcept>

namespace hotseat::bench {

BareMonitor::BareMonitor(const char* subsystem) {
    udev_ = udev_new();
    mon_ = udev_monitor_new_from_netlink(udev_, "udev");
    udev_monitor_filter_add_match_subsystem_devtype(mon_, subsystem, nullptr);
    if (udev_monitor_enable_receiving(mon_) < 0) {
        udev_monitor_unref(mon_);
        udev_unref(udev_);
        throw std::runtime_error("cannot enable udev monitor");
    }
}

BareMonitor::~BareMonitor() {
    udev_monitor_unref(mon_);
    udev_unref(udev_);
}

void BareMonitor::receive_one() {
    pollfd p{udev_monitor_get_fd(mon_), POLLIN, 0};
    if (poll(&p, 1, 5000) != 1) throw std::runtime_error("no uevent within 5 s");
    udev_device* d = udev_monitor_receive_device(mon_);
    if (!d) throw std::runtime_error("receive failed");
    udev_device_unref(d);
}

}  // namespace hotseat::bench
