// The udev adapter against umockdev: a testbed in this process plays the kernel and udevd, the
// real DeviceMonitor listens on its (redirected) netlink socket. Runs under
// LD_PRELOAD=libumockdev-preload.so.0 (set by CTest).
#include <poll.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "event_recorder.h"
#include "testbed.h"
#include "udev/device_monitor.h"
#include "udev/device_reader.h"
#include "udev/property_limits.h"
#include "udev/udev_ptr.h"

namespace hotseat::udev {
namespace {

using namespace std::chrono_literals;
using test::Testbed;

std::string property(const DeviceEvent& e, const std::string& name) {
    auto it = e.properties.find(name);
    return it == e.properties.end() ? "" : it->second;
}

// Runs the monitor like the daemon's loop does: poll on fd(), process() when readable, until
// `done` holds or the deadline passes. No sleeps.
// The deadline only stops a hang.
bool pump_until(DeviceMonitor& monitor, const std::function<bool()>& done, std::chrono::milliseconds timeout = 30s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) return false;
        pollfd p{monitor.fd(), POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
        if (r < 0 && errno != EINTR) return false;
        if (r > 0) monitor.process();
    }
    return true;
}

using Recorder = hotseat::test::EventRecorder;

class DeviceMonitorTest : public ::testing::Test {
protected:
    DeviceMonitorTest() { bed.add_intel_igpu(); }

    DeviceMonitor& start() {
        monitor = std::make_unique<DeviceMonitor>(seen.sink());
        monitor->start();
        return *monitor;
    }

    bool pump_until(const std::function<bool()>& done) { return udev::pump_until(*monitor, done); }

    // Sends one more uevent (a marker USB device) and waits for it: uevents arrive in order, so
    // everything sent before has been handled. The marker's own event is taken out again.
    void settle() {
        std::string serial = "MARK" + std::to_string(markers_++);
        std::string syspath = bed.add_usb_device("ffff", "0001", serial);
        auto is_marker = [&](const Event& e) {
            auto* d = std::get_if<DeviceEvent>(&e);
            return d && d->syspath == syspath;
        };
        ASSERT_TRUE(pump_until([&] { return std::any_of(seen.events.begin(), seen.events.end(), is_marker); }));
        std::erase_if(seen.events, is_marker);
    }

    Testbed bed;  // first: the monitor's socket is redirected only once $UMOCKDEV_DIR is set
    Recorder seen;
    std::unique_ptr<DeviceMonitor> monitor;

private:
    int markers_ = 0;
};

TEST_F(DeviceMonitorTest, InitialEnumerationReportsDisconnectedConnector) {
    start();
    ASSERT_GE(monitor->fd(), 0);
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0].card, "card0");
    EXPECT_EQ(statuses[0].connector, "HDMI-A-1");
    EXPECT_FALSE(statuses[0].connected);
    EXPECT_TRUE(statuses[0].initial);
    EXPECT_EQ(seen.events.size(), 1u);
}

TEST_F(DeviceMonitorTest, PlugReportsExactlyOneConnectedStatus) {
    start();
    seen.events.clear();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.has<ConnectorStatus>(); }));
    settle();
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0].card, "card0");
    EXPECT_EQ(statuses[0].connector, "HDMI-A-1");
    EXPECT_TRUE(statuses[0].connected);
    EXPECT_FALSE(statuses[0].initial);
    EXPECT_EQ(seen.events.size(), 1u);
}

TEST_F(DeviceMonitorTest, UnplugReportsDisconnected) {
    start();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.all<ConnectorStatus>().back().connected; }));
    seen.events.clear();
    bed.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.has<ConnectorStatus>(); }));
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_FALSE(statuses[0].connected);
    EXPECT_FALSE(statuses[0].initial);
}

// The kernel's third status (hotseatd(8)): a connector registered but not probed yet reads
// `unknown`, in the enumeration and on its `add`. It is reported as such, never as disconnected.
TEST_F(DeviceMonitorTest, AnUnknownStatusIsReportedAsUnknown) {
    bed.add_connector("DP-1", "unknown");
    start();
    auto initial = seen.all<ConnectorStatus>();
    ASSERT_EQ(initial.size(), 2u);
    for (const auto& s : initial) {
        EXPECT_TRUE(s.initial);
        EXPECT_EQ(s.unknown, s.connector == "DP-1") << s.connector;
        EXPECT_FALSE(s.connected) << s.connector;
    }
    seen.events.clear();
    bed.remove_connector("HDMI-A-1");  // i915 unbinding, then binding again before its first probe
    bed.add_connector("HDMI-A-1", "unknown");
    ASSERT_TRUE(pump_until([&] { return seen.has<ConnectorStatus>(); }));
    auto added = seen.all<ConnectorStatus>();
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].connector, "HDMI-A-1");
    EXPECT_TRUE(added[0].unknown);
    EXPECT_FALSE(added[0].connected);
    EXPECT_FALSE(added[0].initial);
    // The first probe: connected, with HOTPLUG=1 on the card.
    seen.events.clear();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.all<ConnectorStatus>().size() >= 2; }));
    for (const auto& s : seen.all<ConnectorStatus>()) {
        if (s.connector == "HDMI-A-1") {
            EXPECT_TRUE(s.connected && !s.unknown);
        } else {
            EXPECT_TRUE(s.unknown && !s.connected) << s.connector;
        }
    }
}

TEST_F(DeviceMonitorTest, HotplugRereadsEveryConnectorOfTheCard) {
    bed.add_connector("DP-1");
    start();
    seen.events.clear();
    bed.plug_monitor("DP-1");
    ASSERT_TRUE(pump_until([&] { return seen.all<ConnectorStatus>().size() >= 2; }));
    settle();
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 2u);
    for (const auto& s : statuses) EXPECT_EQ(s.connected, s.connector == "DP-1") << s.connector;
}

TEST_F(DeviceMonitorTest, ConnectorRemovalIsNotAnUnplug) {
    start();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.all<ConnectorStatus>().back().connected; }));
    seen.events.clear();
    bed.remove_connector("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.has<ConnectorRemoved>(); }));
    settle();
    auto removed = seen.all<ConnectorRemoved>();
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].card, "card0");
    EXPECT_EQ(removed[0].connector, "HDMI-A-1");
    EXPECT_FALSE(seen.has<ConnectorStatus>());
    EXPECT_EQ(seen.events.size(), 1u);
}

TEST_F(DeviceMonitorTest, ConnectorAddReportsItsStatus) {
    start();
    seen.events.clear();
    bed.add_connector("DP-2");
    ASSERT_TRUE(pump_until([&] { return seen.has<ConnectorStatus>(); }));
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0].connector, "DP-2");
    EXPECT_FALSE(statuses[0].connected);
    EXPECT_FALSE(statuses[0].initial);
}

TEST_F(DeviceMonitorTest, ChangeOnTheConnectorItselfRereadsIt) {
    start();
    seen.events.clear();
    bed.set_connector_status("HDMI-A-1", "connected");
    bed.uevent(bed.connector_syspath("HDMI-A-1"), "change");
    ASSERT_TRUE(pump_until([&] { return seen.has<ConnectorStatus>(); }));
    EXPECT_TRUE(seen.all<ConnectorStatus>()[0].connected);
}

TEST_F(DeviceMonitorTest, CardChangeWithoutHotplugReportsNothing) {
    start();
    seen.events.clear();
    bed.set_connector_status("HDMI-A-1", "connected");
    bed.uevent(bed.card_syspath(), "change");
    settle();
    EXPECT_TRUE(seen.events.empty()) << seen.events.size() << " unexpected events";
}

// The `remove` comes as udevd sends it, without the ID_* properties (docs/testing.md): the
// monitor hands them on from the `add`, so device.removed rules can match on them.
TEST_F(DeviceMonitorTest, UsbAddAndRemoveCarryTheDeviceProperties) {
    start();
    seen.events.clear();
    std::string syspath = bed.add_usb_device("046d", "c52b", "KB1");
    ASSERT_TRUE(pump_until([&] { return seen.has<DeviceEvent>(); }));
    auto added = seen.all<DeviceEvent>();
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].kind, DeviceEvent::Kind::Added);
    EXPECT_FALSE(added[0].initial);
    EXPECT_EQ(added[0].syspath, syspath);
    EXPECT_EQ(property(added[0], "ID_VENDOR_ID"), "046d");
    EXPECT_EQ(property(added[0], "ID_MODEL_ID"), "c52b");
    EXPECT_EQ(property(added[0], "ID_SERIAL_SHORT"), "KB1");
    EXPECT_EQ(property(added[0], "SUBSYSTEM"), "usb");

    seen.events.clear();
    bed.remove_usb_device("046d", "c52b", "KB1");
    ASSERT_TRUE(pump_until([&] { return seen.has<DeviceEvent>(); }));
    auto removed = seen.all<DeviceEvent>();
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].kind, DeviceEvent::Kind::Removed);
    EXPECT_EQ(removed[0].syspath, syspath);
    EXPECT_EQ(property(removed[0], "ID_VENDOR_ID"), "046d");
    EXPECT_EQ(property(removed[0], "ID_MODEL_ID"), "c52b");
}

// Given names (the daemon gives those its engine reads, core/rules.h), a USB device's events carry
// those and nothing else, found by a scan or by a uevent.
TEST_F(DeviceMonitorTest, UsbEventsCarryOnlyTheNamedProperties) {
    bed.add_usb_device("046d", "c52b", "KB1");
    monitor = std::make_unique<DeviceMonitor>(seen.sink());
    monitor->set_property_names({"ID_MODEL_ID", "ID_SERIAL_SHORT", "NOT_THERE"});
    monitor->start();
    auto initial = seen.all<DeviceEvent>();
    ASSERT_EQ(initial.size(), 1u);
    EXPECT_EQ(initial[0].properties, (Properties{{"ID_MODEL_ID", "c52b"}, {"ID_SERIAL_SHORT", "KB1"}}));

    seen.events.clear();
    bed.add_usb_device("feed", "beef");
    ASSERT_TRUE(pump_until([&] { return seen.has<DeviceEvent>(); }));
    EXPECT_EQ(seen.all<DeviceEvent>()[0].properties, (Properties{{"ID_MODEL_ID", "beef"}}));
}

// A config may name more properties than a uevent can carry (256 rules, 32 names each): then a
// lookup per name would cost more than libudev's list, and every property is handed on.
TEST_F(DeviceMonitorTest, MoreNamesThanAUeventCarriesReadEveryProperty) {
    std::vector<std::string> names{"ID_MODEL_ID"};
    for (int i = 0; names.size() <= udev::kMaxProperties; ++i) names.push_back("RULE_NAMES_" + std::to_string(i));
    monitor = std::make_unique<DeviceMonitor>(seen.sink());
    monitor->set_property_names(names);
    monitor->start();
    seen.events.clear();
    bed.add_usb_device("feed", "beef");
    ASSERT_TRUE(pump_until([&] { return seen.has<DeviceEvent>(); }));
    EXPECT_EQ(property(seen.all<DeviceEvent>()[0], "ID_VENDOR_ID"), "feed");
}

// Passthrough waits for the usb_device's `bind`: it is passed on with every property.
TEST_F(DeviceMonitorTest, UsbBindAndUnbindAreReportedWithTheProperties) {
    start();
    std::string syspath = bed.add_usb_device("046d", "c52b", "KB1");
    ASSERT_TRUE(pump_until([&] { return seen.has<DeviceEvent>(); }));
    EXPECT_FALSE(seen.has<UsbDeviceBinding>()) << "an add is not a bind";
    bed.uevent(syspath, "bind");
    ASSERT_TRUE(pump_until([&] { return seen.has<UsbDeviceBinding>(); }));
    auto bound = seen.all<UsbDeviceBinding>();
    ASSERT_EQ(bound.size(), 1u);
    EXPECT_TRUE(bound[0].bound);
    EXPECT_EQ(bound[0].syspath, syspath);
    EXPECT_EQ(bound[0].properties.at("BUSNUM"), "001");
    EXPECT_EQ(bound[0].properties.at("ID_VENDOR_ID"), "046d");
    seen.events.clear();
    bed.uevent(syspath, "unbind");
    ASSERT_TRUE(pump_until([&] { return seen.has<UsbDeviceBinding>(); }));
    EXPECT_FALSE(seen.all<UsbDeviceBinding>()[0].bound);
}

// A scan cannot see `bind`: a device found with its driver bound is reported bound.
TEST_F(DeviceMonitorTest, UsbDeviceBoundAtStartIsReportedBound) {
    std::string syspath = bed.add_usb_device("046d", "c52b");
    start();
    auto bound = seen.all<UsbDeviceBinding>();
    ASSERT_EQ(bound.size(), 1u);
    EXPECT_TRUE(bound[0].bound);
    EXPECT_EQ(bound[0].syspath, syspath);
    EXPECT_EQ(bound[0].properties.at("DRIVER"), "usb");
}

TEST_F(DeviceMonitorTest, UsbInterfaceEventsAreIgnored) {
    std::string device = bed.add_usb_device("046d", "c52b");
    start();
    seen.events.clear();
    std::string iface = bed.add_device("usb", "1-1:1.0", device, {{"bInterfaceClass", "03"}},
                                       {{"DEVTYPE", "usb_interface"}, {"INTERFACE", "3/1/1"}});
    settle();
    bed.uevent(iface, "unbind");
    settle();
    bed.uevent(iface, "remove");
    settle();
    EXPECT_TRUE(seen.events.empty()) << seen.events.size() << " unexpected events";
}

// classify_uevent reads ACTION, SUBSYSTEM, DEVTYPE and DEVPATH from libudev's parsed fields
// (read_uevent_property) and the rest by name: both must give what a lookup by name gives, for a
// DRM card hotplug, a USB device and a USB interface, as libudev receives them.
TEST(UeventFields, ReadAsTheirPropertiesRead) {
    Testbed bed;
    bed.add_intel_igpu();
    UdevPtr udev(udev_new());
    MonitorPtr monitor(udev_monitor_new_from_netlink(udev.get(), "udev"));
    ASSERT_TRUE(monitor);
    ASSERT_EQ(udev_monitor_enable_receiving(monitor.get()), 0);
    auto receive = [&] {
        pollfd p{udev_monitor_get_fd(monitor.get()), POLLIN, 0};
        EXPECT_EQ(::poll(&p, 1, 30000), 1) << "no uevent within 30 s";
        return DevicePtr(udev_monitor_receive_device(monitor.get()));
    };
    const std::string usb = bed.add_usb_device("046d", "c52b");
    auto usb_device = receive();
    bed.send_hotplug();
    auto card = receive();
    const std::string iface = bed.add_device("usb", "1-1:1.0", usb, {{"bInterfaceClass", "03"}},
                                             {{"DEVTYPE", "usb_interface"}, {"INTERFACE", "3/1/1"}});
    auto interface = receive();
    for (udev_device* device : {usb_device.get(), card.get(), interface.get()}) {
        ASSERT_NE(device, nullptr);
        for (const char* name : {"ACTION", "SUBSYSTEM", "DEVTYPE", "DEVPATH", "HOTPLUG", "ID_VENDOR_ID"})
            EXPECT_EQ(read_uevent_property(device, name), read_property(device, name))
                << name << " of " << udev_device_get_syspath(device);
    }
    EXPECT_EQ(read_uevent_property(card.get(), "DEVTYPE"), "drm_minor");
    EXPECT_EQ(read_uevent_property(card.get(), "ACTION"), "change");
    EXPECT_EQ(read_uevent_property(interface.get(), "DEVTYPE"), "usb_interface");
    EXPECT_EQ(read_uevent_property(usb_device.get(), "SUBSYSTEM"), "usb");
}

// Input uevents are the keyboard watcher's (it has its own monitor): this one is not woken by
// them at all. What reaches its socket is counted directly, ahead of process(): the kernel-side
// subsystem filter must drop them, not the classification after a wakeup.
TEST_F(DeviceMonitorTest, InputUeventsNeverReachTheMonitor) {
    start();
    std::string input = bed.add_device("input", "virtual/input/input7", "", {{"name", "Test Keyboard"}},
                                       {{"ID_INPUT", "1"}, {"ID_INPUT_KEYBOARD", "1"}});
    bed.uevent(input, "change");
    // The marker goes out last; uevents arrive in order, so once it is there every uevent sent
    // before it has arrived too, or was filtered out.
    std::string marker = bed.add_usb_device("ffff", "0001", "MARK");
    pollfd p{monitor->fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 30'000), 1) << "not even the marker arrived";
    std::vector<std::string> received;
    char buffer[8192];
    for (ssize_t n; (n = ::recv(monitor->fd(), buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
        received.emplace_back(buffer, static_cast<std::size_t>(n));
    // libudev's wire format: a header, then KEY=VALUE properties, each ended by a NUL.
    auto carries = [](const std::string& message, const std::string& property) {
        return message.find(property + '\0') != std::string::npos;
    };
    std::size_t inputs = 0;
    for (const auto& m : received) inputs += carries(m, "SUBSYSTEM=input");
    EXPECT_EQ(inputs, 0u) << "input uevents woke the monitor";
    ASSERT_EQ(received.size(), 1u) << received.size() << " uevents received, expected only the marker";
    EXPECT_TRUE(carries(received[0], "SUBSYSTEM=usb"));
}

TEST_F(DeviceMonitorTest, MonitorStartedWhileConnectedReportsConnected) {
    bed.plug_monitor("HDMI-A-1");
    start();
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_TRUE(statuses[0].connected);
    EXPECT_TRUE(statuses[0].initial);
}

TEST_F(DeviceMonitorTest, SecondMonitorSeesWhatTheFirstSawHappen) {
    start();
    bed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(pump_until([&] { return seen.all<ConnectorStatus>().back().connected; }));
    Recorder later;
    DeviceMonitor second(later.sink());
    second.start();
    auto statuses = later.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_TRUE(statuses[0].connected);
    EXPECT_TRUE(statuses[0].initial);
}

TEST_F(DeviceMonitorTest, UsbDevicePresentAtStartIsReportedAsInitial) {
    std::string syspath = bed.add_usb_device("046d", "c52b");
    start();
    auto devices = seen.all<DeviceEvent>();
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices[0].kind, DeviceEvent::Kind::Added);
    EXPECT_TRUE(devices[0].initial);
    EXPECT_EQ(devices[0].syspath, syspath);
    EXPECT_EQ(property(devices[0], "ID_VENDOR_ID"), "046d");
    EXPECT_EQ(property(devices[0], "ID_MODEL_ID"), "c52b");
}

// What process() does after ENOBUFS: everything that changed while uevents were lost is
// reported, as fresh (non-initial) news.
TEST_F(DeviceMonitorTest, ResyncReportsWhatChangedUnseen) {
    bed.add_connector("DP-1");
    bed.add_usb_device("046d", "c52b", "GONE");
    start();
    seen.events.clear();
    bed.set_connector_status("HDMI-A-1", "connected");
    bed.remove_connector("DP-1");
    bed.remove_usb_device("046d", "c52b", "GONE", false);
    std::string fresh = bed.add_usb_device("046d", "c52c", "NEW");
    // Drop the queued uevents unread, as an overflow would.
    pollfd p{monitor->fd(), POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) {
        char buf[8192];
        if (::recv(monitor->fd(), buf, sizeof buf, MSG_DONTWAIT) < 0) break;
    }
    monitor->resync();

    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_EQ(statuses[0].connector, "HDMI-A-1");
    EXPECT_TRUE(statuses[0].connected);
    EXPECT_FALSE(statuses[0].initial);
    auto removed = seen.all<ConnectorRemoved>();
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].connector, "DP-1");
    auto devices = seen.all<DeviceEvent>();
    ASSERT_EQ(devices.size(), 2u);
    EXPECT_EQ(devices[0].kind, DeviceEvent::Kind::Removed);
    EXPECT_EQ(property(devices[0], "ID_SERIAL_SHORT"), "GONE");
    EXPECT_EQ(devices[1].kind, DeviceEvent::Kind::Added);
    EXPECT_EQ(devices[1].syspath, fresh);
    EXPECT_FALSE(devices[1].initial);
}

TEST(DeviceMonitor, StartTwiceIsALogicError) {
    Testbed bed;
    DeviceMonitor monitor([](Event) {});
    EXPECT_EQ(monitor.fd(), -1);
    monitor.process();  // before start: nothing to do, no crash
    monitor.start();
    EXPECT_THROW(monitor.start(), std::logic_error);
}

// A storm of HOTPLUG changes (a flaky cable, a dock) costs one re-read of the card per batch,
// not one per uevent; anything else that acts in between still comes in order.
TEST_F(DeviceMonitorTest, HotplugsInOneBatchAreOneReread) {
    start();
    seen.events.clear();
    bed.set_connector_status("HDMI-A-1", "connected");
    for (int i = 0; i < 3; ++i) bed.send_hotplug();  // all three queued before process()
    monitor->process();
    auto statuses = seen.all<ConnectorStatus>();
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_TRUE(statuses[0].connected);
}

TEST_F(DeviceMonitorTest, PendingRereadGoesOutBeforeTheNextEventThatActs) {
    start();
    seen.events.clear();
    bed.set_connector_status("HDMI-A-1", "connected");
    bed.send_hotplug();
    bed.add_usb_device("046d", "c52b", "BETWEEN");
    bed.send_hotplug();
    monitor->process();
    ASSERT_EQ(seen.events.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<ConnectorStatus>(seen.events[0]));
    EXPECT_TRUE(std::holds_alternative<DeviceEvent>(seen.events[1]));
    EXPECT_TRUE(std::holds_alternative<ConnectorStatus>(seen.events[2]));
}

}  // namespace
}  // namespace hotseat::udev
