// What the engine accepts from udev for USB passthrough: parse_usb_host_device checks every
// property it uses before a device can reach libvirt.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/rules.h"
#include "core/usb_device.h"

namespace hotseat {
namespace {

using Props = std::map<std::string, std::string>;

Props receiver() {
    return {{"SUBSYSTEM", "usb"},    {"DEVTYPE", "usb_device"}, {"ID_VENDOR_ID", "046d"},
            {"ID_MODEL_ID", "c52b"}, {"BUSNUM", "001"},         {"DEVNUM", "005"}};
}

// The udev adapter copies only usb_properties_read() out of a uevent: a device cut down to those
// parses as the whole one, and every name a rule matches on is kept, once.
TEST(UsbPropertiesRead, AreWhatTheEngineReadsAndWhatRulesMatchOn) {
    Rule by_serial, by_vendor;
    by_serial.match = {{"ID_SERIAL", "046d_*"}, {"ID_VENDOR_ID", "046d"}};
    by_vendor.match = {{"ID_VENDOR_ID", "046d"}};
    auto names = usb_properties_read({by_serial, by_vendor});
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(std::count(names.begin(), names.end(), "ID_VENDOR_ID"), 1);
    EXPECT_EQ(std::count(names.begin(), names.end(), "ID_SERIAL"), 1);

    auto whole = receiver();
    whole["ID_SERIAL_SHORT"] = "ABC";
    whole["PRODUCT"] = "46d/c52b/1200";
    whole["ID_VENDOR"] = "Logitech";
    Props cut;
    for (const auto& name : usb_properties_read({}))
        if (whole.count(name)) cut[name] = whole[name];
    EXPECT_EQ(cut.count("ID_VENDOR"), 0u);
    EXPECT_EQ(parse_usb_host_device(cut).device, parse_usb_host_device(whole).device);
    EXPECT_TRUE(is_usb_device(cut));
    Observation seen;
    seen.trigger = Trigger::DeviceAdded;
    seen.properties = &cut;
    EXPECT_EQ(seen.describe(), "device.added 046d:c52b");
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
