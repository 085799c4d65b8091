// The libudev handles under the names the udev and input adapters use: the owning pointers of
// util/handles.h (one vocabulary for C handles), so every early return and exception path drops
// its reference.
#pragma once

#include "util/handles.h"

namespace hotseat::udev {

using UdevPtr = util::Udev;
using MonitorPtr = util::UdevMonitor;
using EnumeratePtr = util::UdevEnumerate;
using DevicePtr = util::UdevDevice;

}  // namespace hotseat::udev
