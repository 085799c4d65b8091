// USB passthrough through hotseatd as a process: umockdev testbed (uevents add/bind/remove of a
// usb_device), private bus, libvirt's test driver. The test driver refuses a live attach (libvirt
// 9: not implemented; libvirt 11: the domain has no USB bus), so these tests follow a device from
// udev to libvirt and libvirt's refusal, in libvirt's own words (asked directly:
// libvirt_answers.h), back to LastError; the attached state is covered by the engine scenarios
// and the exact XML by hostdev_xml_test.
#include <gtest/gtest.h>

#include <stdexcept>

#include "hotseatd_test.h"
#include "libvirt_answers.h"

namespace hotseat::test {
namespace {

const std::string kVm = "already_2drunning";  // running in node.xml: adopted at start-up

// "attach failed: " and what libvirt answers attaching the receiver (bus 1 dev 1, the testbed's
// first USB device) to already-running.
const std::string& refused() {
    static const std::string text = [] {
        auto refusal = libvirt_usb_refusal(kTestDriverUri, "already-running", UsbOp::Attach,
                                           UsbHostDevice{"046d", "c52b", "", 1, 1});
        if (!refusal)
            throw std::runtime_error("libvirt's test driver accepts a live USB attach: these tests need a refusal");
        return "attach failed: " + *refusal;
    }();
    return text;
}

std::string config_text(const std::string& libvirt_uri) {
    return supervisor_section(libvirt_uri) +
           "debounce_ms = 200\n"
           "\n"
           "[[vm]]\nname = \"already-running\"\nusb = [{ vendor = \"046d\", product = \"c52b\" }]\n"
           "\n"
           "[[rule]]\nname = \"receiver-gone\"\non = \"device.removed\"\n"
           "match = { ID_VENDOR_ID = \"046d\", ID_MODEL_ID = \"c52b\" }\n"
           "action = \"stop\"\nvm = \"already-running\"\n";
}

class UsbDaemon : public HotseatdTest {
protected:
    void SetUp() override { write_config(config_text(kTestDriverUri)); }

    std::string property(const std::string& name) const { return vm_property(bus_.address(), kVm, name); }
};

TEST_F(UsbDaemon, DevicePresentAtStartIsAskedOfLibvirtAndItsRefusalIsLastError) {
    testbed_.add_usb_device("046d", "c52b");
    start_daemon();
    ASSERT_TRUE(wait_until([&] { return property("LastError").find(refused()) != std::string::npos; }))
        << "LastError: " << property("LastError");
    EXPECT_EQ(property("LastError"), "usb 046d:c52b bus 1 dev 1: " + refused());
    EXPECT_EQ(property("State"), "running");
    EXPECT_EQ(property("Devices"), "0");
    EXPECT_TRUE(log_has("already-running: attaching usb 046d:c52b bus 1 dev 1"));
}

// hotseatd copies only the properties it reads out of a USB uevent (core/rules.h,
// usb_properties_read): its own and every name a rule matches on. ID_SERIAL is none of its own.
TEST_F(UsbDaemon, ARuleMatchingAPropertyHotseatdDoesNotReadItselfFires) {
    write_config(config_text(kTestDriverUri) +
                 "\n[[rule]]\nname = \"desk-receiver\"\non = \"device.added\"\n"
                 "match = { ID_SERIAL = \"046d_c52b_DESK*\" }\naction = \"start\"\nvm = \"already-running\"\n");
    start_daemon();
    testbed_.add_usb_device("046d", "c52b", "OTHER");
    testbed_.add_usb_device("046d", "c52b", "DESK1");
    // The uevents arrive in order: once DESK1's rule fired, OTHER's add was handled too.
    ASSERT_TRUE(log_shows("rule desk-receiver fired on device.added 046d:c52b"));
    const std::string log = daemon_->log();
    EXPECT_EQ(log.find("rule desk-receiver fired"), log.rfind("rule desk-receiver fired")) << "fired twice:\n" << log;
}

// `add` alone does not attach (it races udev); the usb_device's `bind` does.
TEST_F(UsbDaemon, PluggedDeviceIsAttachedOnBindNotOnAdd) {
    start_daemon();
    std::string syspath = testbed_.add_usb_device("046d", "c52b");
    ASSERT_TRUE(log_shows("usb 046d:c52b bus 1 dev 1 appeared at " + syspath));
    EXPECT_FALSE(log_has("attaching usb")) << "attached on add";
    EXPECT_EQ(property("LastError"), "");

    testbed_.uevent(syspath, "bind");
    ASSERT_TRUE(log_shows("already-running: attaching usb 046d:c52b bus 1 dev 1"));
    ASSERT_TRUE(wait_until([&] { return property("LastError").find(refused()) != std::string::npos; }))
        << "LastError: " << property("LastError");
    EXPECT_EQ(property("State"), "running");
}

// The receiver's keyboard node vanishing (usbhid let go as the VM took the device) is no unplug;
// the usb_device's own `remove` is.
TEST_F(UsbDaemon, OnlyTheUsbDeviceRemovalIsAnUnplug) {
    testbed_.add_usb_device("046d", "c52b");
    testbed_.add_keyboard(7, "Logitech USB Receiver", {{"ID_VENDOR_ID", "046d"}, {"ID_MODEL_ID", "c52b"}});
    // hotseatd opens a keyboard only for a hotkey rule (docs/robustness.md, "Keyboards").
    write_file(config_, config_text("test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml") +
                            "\n[[rule]]\nname = \"receiver-hotkey\"\non = \"hotkey\"\n"
                            "keys = [\"KEY_LEFTCTRL\", \"KEY_F12\"]\naction = \"stop\"\nvm = \"already-running\"\n");
    start_daemon();
    ASSERT_TRUE(log_shows("keyboard /dev/input/event7"));
    testbed_.remove_keyboard(7);
    ASSERT_TRUE(log_shows("keyboard /dev/input/event7 went away"));
    EXPECT_FALSE(log_has("rule receiver-gone fired"));
    EXPECT_EQ(property("State"), "running");

    testbed_.remove_usb_device("046d", "c52b");
    ASSERT_TRUE(log_shows("rule receiver-gone fired on device.removed 046d:c52b"));
    EXPECT_TRUE(wait_until([&] { return property("State") == "off"; })) << property("State");
}

// The order a real kernel and udevd deliver a USB keyboard's plug, its passthrough and its
// return in, as the system test recorded it (docs/testing.md, "What the real kernel did"): the
// usb_device gets a `change` between `add` and `bind`, and with usbhid already loaded its `bind`
// comes last, after the interface's; the VM taking the device unbinds only the interface
// (usbhid), never the usb_device; QEMU letting go sends two `change`s of the usb_device and binds
// the interface again. Exactly one attach, on the usb_device's `bind`; no unplug, no second
// "appeared".
TEST_F(UsbDaemon, RealKernelOrderAttachesOnceAndSeesNoUnplugInPassthrough) {
    start_daemon();
    std::string device = testbed_.add_usb_device("046d", "c52b");  // `add`
    testbed_.uevent(device, "change");
    std::string interface = testbed_.add_device("usb", "1-1:1.0", device, {{"bInterfaceClass", "03"}},
                                                {{"DEVTYPE", "usb_interface"}, {"PRODUCT", "46d/c52b/100"}});
    testbed_.uevent(interface, "bind");  // usbhid
    EXPECT_FALSE(log_has("attaching usb")) << "attached before the usb_device's bind";
    testbed_.uevent(device, "bind");
    ASSERT_TRUE(wait_until([&] { return property("LastError").find(refused()) != std::string::npos; }))
        << "LastError: " << property("LastError");

    testbed_.uevent(interface, "unbind");  // the VM took the device: usbhid let go
    testbed_.uevent(device, "change");     // the VM let go: QEMU released the device
    testbed_.uevent(device, "change");
    testbed_.uevent(interface, "bind");
    // Events are handled in order: once a later device has appeared, the ones above were seen.
    testbed_.add_usb_device("1d6b", "0002");
    ASSERT_TRUE(log_shows("usb 1d6b:0002 bus 1 dev 2 appeared at"));

    auto count = [&](const std::string& text) {
        std::size_t n = 0;
        for (auto at = daemon_->log().find(text); at != std::string::npos; at = daemon_->log().find(text, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count("usb 046d:c52b bus 1 dev 1 appeared at"), 1u);
    EXPECT_EQ(count("attaching usb 046d:c52b"), 1u);
    EXPECT_FALSE(log_has("rule receiver-gone fired"));
    EXPECT_EQ(property("State"), "running");
}

}  // namespace
}  // namespace hotseat::test
