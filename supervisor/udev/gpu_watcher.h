// The gpu devices' drivers (docs/design.md "GPUs and the release record"): a libudev monitor of its own on
// the pci subsystem (PCI uevents are rare: a bind, an unbind, a hotplug), reporting GpuDriver for the
// configured gpu addresses only. The driver is always read from the device's `driver` link, not
// from the uevent: the link is the truth at the moment of reading. Runs on the daemon's loop
// thread: poll fd() for POLLIN, call process().
#pragma once

#include <functional>
#include <set>
#include <string>

#include "hotseat/events.h"
#include "udev/udev_ptr.h"

namespace hotseat::udev {

class GpuWatcher {
public:
    using Sink = std::function<void(hotseat::Event)>;

    explicit GpuWatcher(Sink sink);
    ~GpuWatcher();
    GpuWatcher(const GpuWatcher&) = delete;
    GpuWatcher& operator=(const GpuWatcher&) = delete;

    // Subscribes to pci uevents, then reports the driver of each address (subscribing first:
    // nothing bound in between is lost). Throws std::system_error when libudev fails.
    void start(std::set<std::string> addresses);

    // The configured addresses changed (reload): the new ones are reported at once.
    void watch(std::set<std::string> addresses);

    int fd() const;  // -1 before start()
    void process();  // every waiting uevent, without blocking

private:
    void report(const std::string& address);

    Sink sink_;
    UdevPtr udev_;
    MonitorPtr monitor_;
    std::set<std::string> addresses_;
};

}  // namespace hotseat::udev
