// USB passthrough against a real libvirtd. This machine has no USB bus: the receiver exists only
// in hotseatd's umockdev testbed, so the real QEMU driver cannot find it. What is verified here
// is the failure path end to end: hotseatd asks libvirt for the live attach once the guest runs,
// libvirt's refusal lands in LastError, Devices stays empty, and the guest keeps running.
// The success path needs hardware (docs/usb-passthrough.md).
#include "e2e_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

TEST_F(E2e, AttachingAnAbsentUsbDeviceIsALastErrorAndTheGuestKeepsRunning) {
    Stopwatch watch("usb-absent-attach");
    testbed_.add_usb_device("046d", "c52b");
    ScenarioOptions options;
    options.usb = "[{ vendor = \"046d\", product = \"c52b\" }]";
    options.guest.usb_controller = true;  // else libvirt refuses for want of a USB bus, not of the device
    ASSERT_NO_FATAL_FAILURE(start(options));
    watch.lap("setup");
    // Running is enough: the attach is a libvirt/QEMU matter, the guest need not have booted.
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    watch.lap("plug->running");

    auto last_error = [&] { return vm_property(bus_.address(), kVmPath, "LastError"); };
    ASSERT_TRUE(wait_until([&] { return last_error().find("attach failed") != std::string::npos; }, 10s))
        << "LastError: " << last_error();
    watch.lap("running->attach-refused");
    std::string error = last_error();
    EXPECT_NE(error.find("usb 046d:c52b bus 1 dev 1: attach failed: "), std::string::npos) << error;
    // The QEMU driver looked for the device on the host (no USB bus here: no /sys/bus/usb/devices;
    // with a bus but not this device: "Did not find USB device ...").
    EXPECT_TRUE(error.find("/sys/bus/usb/devices") != std::string::npos ||
                error.find("Did not find USB device") != std::string::npos)
        << "libvirt refused for another reason: " << error;
    EXPECT_EQ(vm_property(bus_.address(), kVmPath, "Devices"), "0") << "busctl prints an empty array as 0";
    EXPECT_EQ(state(), "running");
    EXPECT_NE(libvirt_->qemu_pid(kVm), 0) << "QEMU went away";
    std::cerr << "e2e usb: libvirt said: " << error << "\n";
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
