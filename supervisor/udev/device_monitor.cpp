#include "udev/device_monitor.h"

#include <poll.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "log.h"
#include "udev/device_reader.h"
#include "udev/property_limits.h"
#include "util/handles.h"

namespace hotseat::udev {
namespace {

// udevd's own monitor sockets use 128 MiB: a burst of uevents (a dock, a storm) must not
// overflow the queue while the loop is busy elsewhere.
constexpr int kReceiveBufferBytes = 128 * 1024 * 1024;

// Failed receives in a row (malformed messages) before process() gives the loop back.
constexpr int kMaxFailuresPerCall = 1024;

// Filtered in the kernel, so nothing else wakes the loop. Not `input`: keyboards are the input
// adapter's (input/keyboard_watcher.h, with a monitor of its own); here every input uevent (each
// input device and event node of every keyboard, mouse or receiver coming and going) would only
// be received and dropped.
constexpr const char* kSubsystems[] = {"drm", "usb"};

using util::check;

int errno_or(int fallback) { return errno ? errno : fallback; }

const char* or_empty(const char* s) { return s ? s : ""; }

// A USB device at the same syspath with a new device number was unplugged and replugged while
// events were lost.
bool same_usb_device(const Properties& before, const Properties& now) {
    auto a = before.find("DEVNUM");
    auto b = now.find("DEVNUM");
    if (a == before.end() || b == now.end()) return true;
    return a->second == b->second;
}

// A USB device whose driver is bound (the kernel adds DRIVER to its uevent properties).
bool has_driver(const Properties& properties) {
    auto it = properties.find("DRIVER");
    return it != properties.end() && !it->second.empty();
}

}  // namespace

DeviceMonitor::DeviceMonitor(Sink sink) : sink_(std::move(sink)) {}

DeviceMonitor::~DeviceMonitor() = default;

int DeviceMonitor::fd() const { return monitor_ ? udev_monitor_get_fd(monitor_.get()) : -1; }

void DeviceMonitor::start() {
    if (monitor_) throw std::logic_error("DeviceMonitor::start called twice");
    errno = 0;
    UdevPtr udev(udev_new());
    if (!udev) throw std::system_error(errno_or(ENOMEM), std::generic_category(), "udev_new");
    MonitorPtr monitor(udev_monitor_new_from_netlink(udev.get(), "udev"));
    if (!monitor) throw std::system_error(errno_or(EINVAL), std::generic_category(), "udev_monitor_new_from_netlink");
    for (const char* subsystem : kSubsystems) {
        check(udev_monitor_filter_add_match_subsystem_devtype(monitor.get(), subsystem, nullptr),
              "udev_monitor_filter_add_match_subsystem_devtype");
    }
    check(udev_monitor_enable_receiving(monitor.get()), "udev_monitor_enable_receiving");
    int r = udev_monitor_set_receive_buffer_size(monitor.get(), kReceiveBufferBytes);
    if (r < 0) {
        log::warning("udev: cannot enlarge the uevent receive buffer (", std::system_category().message(-r),
                     "); a burst of uevents may overflow it and force a re-scan");
    }
    udev_ = std::move(udev);
    monitor_ = std::move(monitor);
    try {
        report_connectors(nullptr, true);
        report_initial_usb();
    } catch (...) {
        monitor_.reset();
        udev_.reset();
        connectors_.clear();
        usb_devices_.clear();
        throw;
    }
}

void DeviceMonitor::set_property_names(std::vector<std::string> names) {
    if (names == property_names_) return;
    property_names_ = std::move(names);
    if (!udev_) return;
    try {
        for (auto& device : read_usb_devices(udev_.get(), property_names_)) {
            auto known = usb_devices_.find(device.syspath);
            if (known != usb_devices_.end()) known->second = std::move(device.properties.properties);
        }
    } catch (const std::system_error& e) {
        log::warning("udev: cannot re-read the USB devices for the new rules: ", e.what());
    }
}

void DeviceMonitor::process() {
    if (!monitor_) return;
    bool overflowed = false;
    int failures = 0;
    for (;;) {
        errno = 0;
        DevicePtr device(udev_monitor_receive_device(monitor_.get()));
        if (device) {
            handle(device.get());
            failures = 0;
            continue;
        }
        int error = errno;
        if (error == ENOBUFS) {
            overflowed = true;
            continue;
        }
        if (error == EINTR) continue;
        // EAGAIN: the queue is empty, or libudev dropped a message it does not trust. Anything
        // else: a malformed message was consumed. Either way go on while data is waiting.
        if (!readable_now()) break;
        if (error != EAGAIN && ++failures > kMaxFailuresPerCall) {
            log::warning("udev: giving up on this batch after ", failures, " failed receives (",
                         std::system_category().message(error), ")");
            break;
        }
    }
    if (overflowed) {
        log::warning("udev: uevent receive buffer overflowed; re-reading every device");
        pending_cards_.clear();  // resync() reads every card anyway
        resync();
    } else {
        reread_pending_cards();
    }
}

bool DeviceMonitor::readable_now() const {
    pollfd p{fd(), POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

void DeviceMonitor::handle(udev_device* device) {
    // Decide first, copy later: in a storm almost every uevent is ignored.
    UeventDecision decision = classify_uevent(
        [device](const char* name) { return read_uevent_property(device, name); });
    if (decision.step == UeventStep::Ignore) {
        log::debug("udev: ignoring ", or_empty(udev_device_get_action(device)), " ",
                   or_empty(udev_device_get_syspath(device)), ": ", decision.why);
        return;
    }
    act(decision, device);
}

Properties DeviceMonitor::collect_properties(udev_device* device) {
    CollectedProperties collected = read_properties(device, property_names_);
    note_dropped(collected.dropped, udev_device_get_syspath(device));
    return std::move(collected.properties);
}

void DeviceMonitor::reread_pending_cards() {
    auto cards = std::move(pending_cards_);
    pending_cards_.clear();
    for (const auto& [syspath, card] : cards) {
        try {
            report_connectors(card.get(), false);
        } catch (const std::system_error& e) {
            log::warning("udev: cannot read the connectors of ", syspath, ": ", e.what());
        }
    }
}

void DeviceMonitor::act(const UeventDecision& decision, udev_device* device) {
    std::string syspath = or_empty(udev_device_get_syspath(device));
    // Events in order: a card's pending re-read goes out before anything else that acts.
    if (decision.step != UeventStep::RereadCard) reread_pending_cards();
    switch (decision.step) {
        case UeventStep::Ignore: return;
        case UeventStep::RereadCard:
            if (pending_cards_.size() >= 64 && !pending_cards_.count(syspath)) reread_pending_cards();
            // Ref only when inserting: try_emplace on a card already pending would drop the ref.
            if (!pending_cards_.count(syspath)) pending_cards_.emplace(syspath, udev_device_ref(device));
            return;
        case UeventStep::RereadConnector: report_connector(syspath, decision); return;
        case UeventStep::DropConnector: report_removed_connector(decision.card, decision.connector); return;
        case UeventStep::UsbAdded:
            report_usb(DeviceEvent::Kind::Added, syspath, collect_properties(device), false);
            return;
        case UeventStep::UsbRemoved:
            report_usb(DeviceEvent::Kind::Removed, syspath, with_remembered_ids(syspath, collect_properties(device)),
                       false);
            return;
        case UeventStep::UsbBound: report_binding(true, syspath, collect_properties(device)); return;
        case UeventStep::UsbUnbound:
            report_binding(false, syspath, with_remembered_ids(syspath, collect_properties(device)));
            return;
    }
}

void DeviceMonitor::report_connectors(udev_device* card, bool initial) {
    for (const auto& reading : read_connectors(udev_.get(), card)) {
        report_status(reading.card, reading.connector, reading.state, initial);
    }
}

void DeviceMonitor::report_connector(const std::string& syspath, const UeventDecision& decision) {
    auto state = read_connector_state(udev_.get(), syspath);
    if (!state) {
        log::debug("udev: connector ", syspath, " has no readable status; ignored");
        return;
    }
    report_status(decision.card, decision.connector, *state, false);
}

void DeviceMonitor::report_status(const std::string& card, const std::string& connector, ConnectorState state,
                                  bool initial) {
    connectors_.emplace(card, connector);
    sink_(ConnectorStatus{card, connector, state == ConnectorState::Connected, initial,
                          state == ConnectorState::Unknown});
}

void DeviceMonitor::report_removed_connector(const std::string& card, const std::string& connector) {
    connectors_.erase({card, connector});
    sink_(ConnectorRemoved{card, connector});
}

void DeviceMonitor::report_usb(DeviceEvent::Kind kind, const std::string& syspath, Properties properties,
                               bool initial) {
    if (kind == DeviceEvent::Kind::Added) {
        usb_devices_[syspath] = properties;
    } else {
        usb_devices_.erase(syspath);
    }
    DeviceEvent event;
    event.kind = kind;
    event.syspath = syspath;
    event.properties = std::move(properties);
    event.initial = initial;
    sink_(std::move(event));
}

// udevd's `unbind` and `remove` of a USB device carry the kernel's properties (DEVTYPE, PRODUCT,
// BUSNUM, DEVNUM ...) but not the ones its rules imported on `add`, `change` and `bind`
// (ID_VENDOR_ID, ID_MODEL_ID, ID_SERIAL ...): measured on a real kernel with udev 252
// (docs/testing.md, "What the real kernel did"). A device.removed rule matching on those would
// never fire, so they come from what this monitor last saw of the device. At most twice the
// per-event property limit.
Properties DeviceMonitor::with_remembered_ids(const std::string& syspath, Properties properties) const {
    auto known = usb_devices_.find(syspath);
    if (known == usb_devices_.end()) return properties;
    for (const auto& [name, value] : known->second) {
        if (name.rfind("ID_", 0) == 0) properties.try_emplace(name, value);
    }
    return properties;
}

void DeviceMonitor::report_binding(bool bound, const std::string& syspath, Properties properties) {
    // The latest properties (DRIVER among them) are what resync compares against.
    if (auto known = usb_devices_.find(syspath); known != usb_devices_.end()) known->second = properties;
    UsbDeviceBinding event;
    event.bound = bound;
    event.syspath = syspath;
    event.properties = std::move(properties);
    sink_(std::move(event));
}

// A scan cannot see the `bind` uevent; a device whose driver is bound was bound before.
void DeviceMonitor::report_if_bound(const std::string& syspath, const Properties& properties) {
    if (has_driver(properties)) report_binding(true, syspath, properties);
}

void DeviceMonitor::report_initial_usb() {
    for (auto& device : read_usb_devices(udev_.get(), property_names_)) {
        note_dropped(device.properties.dropped, device.syspath.c_str());
        Properties properties = device.properties.properties;
        report_usb(DeviceEvent::Kind::Added, device.syspath, std::move(device.properties.properties), true);
        report_if_bound(device.syspath, properties);
    }
}

void DeviceMonitor::resync() {
    if (!udev_) return;
    try {
        resync_connectors();
    } catch (const std::system_error& e) {
        log::warning("udev: cannot re-read DRM connectors: ", e.what());
    }
    try {
        resync_usb();
    } catch (const std::system_error& e) {
        log::warning("udev: cannot re-read USB devices: ", e.what());
    }
}

void DeviceMonitor::resync_connectors() {
    auto readings = read_connectors(udev_.get(), nullptr);
    std::set<std::pair<std::string, std::string>> present;
    for (const auto& reading : readings) present.emplace(reading.card, reading.connector);
    auto known = connectors_;
    for (const auto& [card, connector] : known) {
        if (!present.count({card, connector})) report_removed_connector(card, connector);
    }
    for (const auto& reading : readings) report_status(reading.card, reading.connector, reading.state, false);
}

void DeviceMonitor::resync_usb() {
    std::map<std::string, Properties> present;
    for (auto& device : read_usb_devices(udev_.get(), property_names_)) {
        note_dropped(device.properties.dropped, device.syspath.c_str());
        present.emplace(device.syspath, std::move(device.properties.properties));
    }
    auto known = usb_devices_;
    for (auto& [syspath, properties] : known) {
        auto now = present.find(syspath);
        if (now == present.end() || !same_usb_device(properties, now->second)) {
            report_usb(DeviceEvent::Kind::Removed, syspath, std::move(properties), false);
        }
    }
    for (auto& [syspath, properties] : present) {
        auto known = usb_devices_.find(syspath);
        if (known == usb_devices_.end()) {
            report_usb(DeviceEvent::Kind::Added, syspath, properties, false);
            report_if_bound(syspath, properties);
        } else if (!has_driver(known->second) && has_driver(properties)) {
            report_binding(true, syspath, properties);  // its `bind` was lost
        }
    }
}

void DeviceMonitor::note_dropped(std::size_t dropped, const char* syspath) {
    if (dropped == 0) return;
    if (warned_about_limits_) {
        log::debug("udev: dropped ", dropped, " properties of ", or_empty(syspath));
        return;
    }
    warned_about_limits_ = true;
    log::warning("udev: dropped ", dropped, " properties of ", or_empty(syspath), " (limits: ", kMaxProperties,
                 " properties, ", kMaxPropertyBytes, " bytes each); further drops are logged at debug level");
}

}  // namespace hotseat::udev
