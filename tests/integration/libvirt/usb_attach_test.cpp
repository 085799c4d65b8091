// Hypervisor's live USB attach/detach against libvirt's test driver, which never attaches a host
// USB device live (libvirt 9: not implemented; libvirt 11: the domain has no USB bus): what can be
// checked here is that a device already in the live domain XML (a restarted hotseatd adopting a
// running VM) counts as attached without a call, that any other goes to libvirt and its refusal,
// word for word as libvirt answers the same call (libvirt_answers.h), comes back as a
// UsbOpResult, and that calls while libvirt is unreachable fail at once.
#include <gtest/gtest.h>

#include "event_collector.h"
#include "libvirt/hypervisor.h"
#include "libvirt_answers.h"

namespace hotseat::libvirt {
namespace {

using test::EventCollector;

const std::string usb_node_uri = "test://" HOTSEAT_LIBVIRT_TEST_DATA "/usb-node.xml";

class UsbAttach : public ::testing::Test {
protected:
    void connect(const std::string& uri) {
        hypervisor = std::make_unique<Hypervisor>(uri, std::vector<std::string>{"has-receiver"});
        events = std::make_unique<EventCollector>(*hypervisor);
        hypervisor->start();
        auto connection = events->take<LibvirtConnection>();
        ASSERT_TRUE(connection);
        connected = connection->connected;
    }

    UsbOpResult result(UsbOp op) {
        auto r = events->take<UsbOpResult>([&](const UsbOpResult& u) { return u.op == op; });
        EXPECT_TRUE(r) << "no UsbOpResult";
        return r.value_or(UsbOpResult{});
    }

    std::unique_ptr<Hypervisor> hypervisor;
    std::unique_ptr<EventCollector> events;
    bool connected = false;
};

TEST_F(UsbAttach, DeviceAlreadyInTheLiveDomainCountsAsAttached) {
    ASSERT_NO_FATAL_FAILURE(connect(usb_node_uri));
    ASSERT_TRUE(connected);
    hypervisor->execute(AttachUsb{"has-receiver", "/sys/devices/usb1/1-1", UsbHostDevice{"046d", "c52b", "", 1, 5}});
    auto r = result(UsbOp::Attach);
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.vm, "has-receiver");
    EXPECT_EQ(r.syspath, "/sys/devices/usb1/1-1");
    EXPECT_EQ(r.device, (UsbHostDevice{"046d", "c52b", "", 1, 5}));
}

TEST_F(UsbAttach, AnotherDeviceIsAskedOfLibvirtAndItsRefusalReported) {
    ASSERT_NO_FATAL_FAILURE(connect(usb_node_uri));
    const UsbHostDevice other{"046d", "c52b", "", 1, 6};
    const UsbHostDevice present{"046d", "c52b", "", 1, 5};
    auto attach_refusal = test::libvirt_usb_refusal(usb_node_uri, "has-receiver", UsbOp::Attach, other);
    auto detach_refusal = test::libvirt_usb_refusal(usb_node_uri, "has-receiver", UsbOp::Detach, present);
    ASSERT_TRUE(attach_refusal && detach_refusal)
        << "libvirt's test driver takes live USB devices: test with a refusal";

    hypervisor->execute(AttachUsb{"has-receiver", "/sys/devices/usb1/1-2", other});
    auto r = result(UsbOp::Attach);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, *attach_refusal);
    hypervisor->execute(DetachUsb{"has-receiver", "/sys/devices/usb1/1-1", present});
    auto d = result(UsbOp::Detach);
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.error, *detach_refusal);
}

TEST_F(UsbAttach, InvalidDeviceNeverReachesLibvirt) {
    ASSERT_NO_FATAL_FAILURE(connect(usb_node_uri));
    hypervisor->execute(AttachUsb{"has-receiver", "/sys/x", UsbHostDevice{"046d", "c52b", "", 1, 200}});
    auto r = result(UsbOp::Attach);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("invalid USB device"), std::string::npos) << r.error;
}

TEST_F(UsbAttach, FailsAtOnceWhileLibvirtIsUnreachable) {
    ASSERT_NO_FATAL_FAILURE(connect("test:///nonexistent.xml"));
    ASSERT_FALSE(connected);
    hypervisor->execute(AttachUsb{"has-receiver", "/sys/x", UsbHostDevice{"046d", "c52b", "", 1, 5}});
    auto r = result(UsbOp::Attach);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error.rfind("not connected to libvirt (test:///nonexistent.xml): ", 0), 0u) << r.error;
}

}  // namespace
}  // namespace hotseat::libvirt
