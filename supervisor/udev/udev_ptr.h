// Owning pointers for libudev objects, so every early return and exception path drops its
// reference.
#pragma once

#include <libudev.h>

#include <memory>

namespace hotseat::udev {

struct UdevUnref {
    void operator()(struct udev* p) const { udev_unref(p); }
    void operator()(udev_monitor* p) const { udev_monitor_unref(p); }
    void operator()(udev_enumerate* p) const { udev_enumerate_unref(p); }
    void operator()(udev_device* p) const { udev_device_unref(p); }
};

using UdevPtr = std::unique_ptr<struct udev, UdevUnref>;
using MonitorPtr = std::unique_ptr<udev_monitor, UdevUnref>;
using EnumeratePtr = std::unique_ptr<udev_enumerate, UdevUnref>;
using DevicePtr = std::unique_ptr<udev_device, UdevUnref>;

}  // namespace hotseat::udev
