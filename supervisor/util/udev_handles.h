// libudev's handles in handles.h's vocabulary, in a header of their own so that a program
// linking libudev but not libvirt (the guest helper) uses the same names.
#pragma once

#include <libudev.h>

#include "util/handle.h"

namespace hotseat::util {

using Udev = Handle<struct udev, udev_unref>;
using UdevMonitor = Handle<udev_monitor, udev_monitor_unref>;
using UdevEnumerate = Handle<udev_enumerate, udev_enumerate_unref>;
using UdevDevice = Handle<udev_device, udev_device_unref>;

}  // namespace hotseat::util
