// What the engine accepts from udev for USB passthrough: parse_usb_host_device checks every
// property it uses before a device can reach libvirt.
#include <gtest/gtest.h>

#include "core/usb_device.h"

namespace hotseat {
namespace {

using Props = std::map<std::string, std::string>;

Props receiver() {
    return {{"SUBSYSTEM", "usb"},    {"DEVTYPE", "usb_device"}, {"ID_VENDOR_ID", "046d"},
            {"ID_MODEL_ID", "c52b"}, {"BUSNUM", "001"},         {"DEVNUM", "005"}};
}

TEST(UsbHostDevice, ParsesUdevProperties) {
    auto props = receiver();
    props["ID_SERIAL_SHORT"] = "ABC";
    auto parsed = parse_usb_host_device(props);
    ASSERT_TRUE(parsed.device) << parsed.why;
    EXPECT_EQ(*parsed.device, (UsbHostDevice{"046d", "c52b", "ABC", 1, 5}));
    EXPECT_EQ(describe(*parsed.device), "usb 046d:c52b bus 1 dev 5");
}

TEST(UsbHostDevice, FallsBackToTheKernelsProductAndNormalisesIds) {
    Props props = {{"PRODUCT", "46D/C52B/1200"}, {"BUSNUM", "3"}, {"DEVNUM", "127"}};
    auto parsed = parse_usb_host_device(props);
    ASSERT_TRUE(parsed.device) << parsed.why;
    EXPECT_EQ(parsed.device->vendor, "046d");
    EXPECT_EQ(parsed.device->product, "c52b");
    EXPECT_EQ(parsed.device->device, 127u);
}

TEST(UsbHostDevice, RefusesWhatIsNotANumberInRangeOrHex) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"BUSNUM", ""},      {"BUSNUM", "0"},           {"BUSNUM", "256"},        {"BUSNUM", "-1"},
        {"BUSNUM", "1a"},    {"BUSNUM", "0001"},        {"DEVNUM", "0"},          {"DEVNUM", "128"},
        {"DEVNUM", " 5"},    {"DEVNUM", "5'"},          {"ID_VENDOR_ID", "046g"}, {"ID_VENDOR_ID", "0046d"},
        {"ID_MODEL_ID", ""}, {"ID_MODEL_ID", "c5'/><x"}};
    for (const auto& [key, value] : bad) {
        auto props = receiver();
        props[key] = value;
        auto parsed = parse_usb_host_device(props);
        EXPECT_FALSE(parsed.device) << key << "=" << value;
        EXPECT_FALSE(parsed.why.empty());
    }
    auto props = receiver();
    props.erase("DEVNUM");
    EXPECT_FALSE(parse_usb_host_device(props).device);
    EXPECT_FALSE(parse_usb_host_device({{"PRODUCT", "46d"}, {"BUSNUM", "1"}, {"DEVNUM", "1"}}).device);
}

TEST(UsbHostDevice, MatchesVendorProductAndSerialWhenGiven) {
    UsbHostDevice d{"046d", "c52b", "ABC", 1, 5};
    EXPECT_TRUE(usb_matches({"046d", "c52b", ""}, d));
    EXPECT_TRUE(usb_matches({"046d", "c52b", "ABC"}, d));
    EXPECT_FALSE(usb_matches({"046d", "c52b", "XYZ"}, d));
    EXPECT_FALSE(usb_matches({"046d", "c534", ""}, d));
}

TEST(UsbHostDevice, OnlyUsbDevicesThemselves) {
    EXPECT_TRUE(is_usb_device(receiver()));
    EXPECT_FALSE(is_usb_device({{"SUBSYSTEM", "usb"}, {"DEVTYPE", "usb_interface"}}));
    EXPECT_FALSE(is_usb_device({{"SUBSYSTEM", "usb"}}));
}

}  // namespace
}  // namespace hotseat
