// The exact device XML handed to virDomainAttachDeviceFlags for a USB passthrough, and its
// refusal of anything that is not a validated number or id.
#include <gtest/gtest.h>

#include "libvirt/hostdev_xml.h"

namespace hotseat::libvirt {
namespace {

TEST(UsbHostdevXml, IsExactlyTheHostdevLibvirtExpects) {
    auto xml = usb_hostdev_xml(UsbHostDevice{"046d", "c52b", "", 1, 5});
    ASSERT_TRUE(xml);
    EXPECT_EQ(*xml,
              "<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x046d'/>"
              "<product id='0xc52b'/><address bus='1' device='5'/></source></hostdev>");
}

TEST(UsbHostdevXml, TheSerialIsNotPartOfIt) {
    // libvirt has no serial in a USB hostdev source; the bus/device address pins the device.
    EXPECT_EQ(usb_hostdev_xml(UsbHostDevice{"1050", "0407", "ABC'<", 255, 127}),
              "<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x1050'/>"
              "<product id='0x0407'/><address bus='255' device='127'/></source></hostdev>");
}

TEST(UsbHostdevXml, RefusesInvalidValues) {
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"046D", "c52b", "", 1, 5})) << "uppercase is not normalised here";
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"46d", "c52b", "", 1, 5}));
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"046d", "c5'b", "", 1, 5}));
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"046d", "c52b", "", 0, 5}));
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"046d", "c52b", "", 256, 5}));
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"046d", "c52b", "", 1, 0}));
    EXPECT_FALSE(usb_hostdev_xml(UsbHostDevice{"046d", "c52b", "", 1, 128}));
}

TEST(UsbHostdevXml, SourceAddressIsWhatTheLiveXmlShows) {
    EXPECT_EQ(usb_source_address(UsbHostDevice{"046d", "c52b", "", 3, 17}), "<address bus='3' device='17'/>");
}

}  // namespace
}  // namespace hotseat::libvirt
