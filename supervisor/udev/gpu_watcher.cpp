#include "udev/gpu_watcher.h"

#include <cerrno>
#include <system_error>

#include "log.h"
#include "util/handles.h"

namespace hotseat::udev {
namespace {

using util::check;

const char* or_empty(const char* s) { return s ? s : ""; }

}  // namespace

GpuWatcher::GpuWatcher(Sink sink) : sink_(std::move(sink)) {}

GpuWatcher::~GpuWatcher() = default;

int GpuWatcher::fd() const { return monitor_ ? udev_monitor_get_fd(monitor_.get()) : -1; }

void GpuWatcher::start(std::set<std::string> addresses) {
    errno = 0;
    UdevPtr udev(udev_new());
    if (!udev) throw std::system_error(errno ? errno : ENOMEM, std::generic_category(), "udev_new");
    MonitorPtr monitor(udev_monitor_new_from_netlink(udev.get(), "udev"));
    if (!monitor)
        throw std::system_error(errno ? errno : EINVAL, std::generic_category(), "udev_monitor_new_from_netlink");
    check(udev_monitor_filter_add_match_subsystem_devtype(monitor.get(), "pci", nullptr),
          "udev_monitor_filter_add_match_subsystem_devtype");
    check(udev_monitor_enable_receiving(monitor.get()), "udev_monitor_enable_receiving");
    udev_ = std::move(udev);
    monitor_ = std::move(monitor);
    watch(std::move(addresses));
}

void GpuWatcher::watch(std::set<std::string> addresses) {
    std::set<std::string> before = std::move(addresses_);
    addresses_ = std::move(addresses);
    if (!udev_) return;
    for (const auto& address : addresses_)
        if (!before.count(address)) report(address);
}

void GpuWatcher::process() {
    if (!monitor_) return;
    bool overflowed = false;
    for (int misses = 0; misses < 64;) {
        errno = 0;
        DevicePtr device(udev_monitor_receive_device(monitor_.get()));
        if (!device) {
            if (errno == ENOBUFS)
                overflowed = true;
            else if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            ++misses;  // a message libudev refused; the next one may be fine
            continue;
        }
        std::string address = or_empty(udev_device_get_sysname(device.get()));
        if (!addresses_.count(address)) continue;
        log::debug("udev: ", or_empty(udev_device_get_action(device.get())), " of gpu ", address);
        report(address);
    }
    if (overflowed) {
        log::warning("udev: the pci uevent queue overflowed; re-reading the gpu drivers");
        for (const auto& address : addresses_) report(address);
    }
}

// A fresh device each time: libudev caches what it read per device object.
void GpuWatcher::report(const std::string& address) {
    DevicePtr device(udev_device_new_from_subsystem_sysname(udev_.get(), "pci", address.c_str()));
    std::string driver = device ? or_empty(udev_device_get_driver(device.get())) : "";
    sink_(GpuDriver{address, driver});
}

}  // namespace hotseat::udev
