// The udev adapter (docs/design.md "Architecture", "Hardware facts" 1): one netlink monitor on
// udevd's events, translated into engine events. Runs on the daemon's event-loop thread: poll fd()
// for POLLIN, call process().
#pragma once

#include <libudev.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hotseat/events.h"
#include "udev/device_reader.h"
#include "udev/uevent_rules.h"
#include "udev/udev_ptr.h"

namespace hotseat::udev {

class DeviceMonitor {
public:
    using Sink = std::function<void(hotseat::Event)>;

    // `sink` receives every event synchronously from start(), process() and resync(); it must
    // not throw (an exception leaves the remaining uevents of that batch for the next process()).
    explicit DeviceMonitor(Sink sink);
    ~DeviceMonitor();
    DeviceMonitor(const DeviceMonitor&) = delete;
    DeviceMonitor& operator=(const DeviceMonitor&) = delete;

    // Subscribes to udevd's uevents for drm and usb (filtered in the kernel), then reports
    // what exists now: ConnectorStatus{initial=true} for every DRM connector and
    // DeviceEvent{Added, initial=true} for every initialised USB device, followed by
    // UsbDeviceBinding{bound} when its driver is bound (DRIVER set). Subscribing first means
    // nothing that changes during the scan is lost. Throws std::system_error when libudev fails,
    // std::logic_error when already started.
    void start();

    // The properties of USB devices that events carry (hotseat::usb_properties_read() of the
    // config); empty, the default: every property. When the names change after start(), the
    // devices already known are re-read with them, so that a removal still carries what a rule
    // matches on (with_remembered_ids).
    void set_property_names(std::vector<std::string> names);

    // The monitor socket, -1 before start(). Non-blocking; wait for POLLIN.
    int fd() const;

    // Handles every uevent waiting on fd() without blocking. When the socket reports a receive
    // buffer overflow (ENOBUFS) it finishes draining and then calls resync(). Does nothing
    // before start().
    void process();

    // Re-reads every device and reports it as fresh news (initial=false): ConnectorStatus for
    // each connector (the engine diffs), ConnectorRemoved for connectors that vanished unseen,
    // DeviceEvent Removed/Added for USB devices that went or came unseen, UsbDeviceBinding for
    // those whose driver bound unseen. Logs scan failures.
    void resync();

private:
    void handle(udev_device* device);
    void act(const UeventDecision& decision, udev_device* device);
    Properties collect_properties(udev_device* device);  // only for the steps that hand them on
    void report_connectors(udev_device* card, bool initial);
    void report_connector(const std::string& syspath, const UeventDecision& decision);
    void report_status(const std::string& card, const std::string& connector, ConnectorState state, bool initial);
    void report_removed_connector(const std::string& card, const std::string& connector);
    void report_usb(DeviceEvent::Kind kind, const std::string& syspath, Properties properties, bool initial);
    void report_binding(bool bound, const std::string& syspath, Properties properties);
    // `properties` plus the ID_* properties last seen for that USB device (see the .cpp).
    Properties with_remembered_ids(const std::string& syspath, Properties properties) const;
    void report_if_bound(const std::string& syspath, const Properties& properties);
    void report_initial_usb();
    void resync_connectors();
    void resync_usb();
    void note_dropped(std::size_t dropped, const char* syspath);
    void reread_pending_cards();
    bool readable_now() const;

    Sink sink_;
    UdevPtr udev_;
    MonitorPtr monitor_;
    // What was last reported, so that resync() can tell what vanished while events were lost.
    std::set<std::pair<std::string, std::string>> connectors_;  // (card, connector)
    std::map<std::string, Properties> usb_devices_;             // syspath → properties
    std::vector<std::string> property_names_;                   // empty: all
    bool warned_about_limits_ = false;
    // Cards with a HOTPLUG=1 change seen in this batch, re-read once before the next uevent
    // that acts and at the end of the batch: a storm of hotplugs (a flaky cable, a dock) costs
    // one sysfs scan per batch instead of one per uevent, and a re-read sees the latest status
    // either way.
    std::map<std::string, DevicePtr> pending_cards_;  // syspath → the card
};

}  // namespace hotseat::udev
