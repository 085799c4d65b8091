// The pure half of the udev adapter: uevent properties → what the monitor does.
#include <gtest/gtest.h>

#include "udev/property_limits.h"
#include "udev/uevent_rules.h"

namespace hotseat::udev {
namespace {

Properties drm(const std::string& action, const std::string& devpath, const std::string& devtype) {
    return {{"ACTION", action}, {"SUBSYSTEM", "drm"}, {"DEVPATH", devpath}, {"DEVTYPE", devtype}};
}

const std::string kCard = "/devices/pci0000:00/0000:00:02.0/drm/card0";

TEST(UeventRules, HotplugChangeOnCardRereadsTheCard) {
    auto props = drm("change", kCard, "drm_minor");
    props["HOTPLUG"] = "1";
    auto d = classify_uevent(props);
    EXPECT_EQ(d.step, UeventStep::RereadCard);
    EXPECT_EQ(d.card, "card0");
}

TEST(UeventRules, CardChangeWithoutHotplugIsIgnored) {
    EXPECT_EQ(classify_uevent(drm("change", kCard, "drm_minor")).step, UeventStep::Ignore);
    auto props = drm("change", kCard, "drm_minor");
    props["HOTPLUG"] = "0";
    EXPECT_EQ(classify_uevent(props).step, UeventStep::Ignore);
}

TEST(UeventRules, RenderNodesAndCardsWithoutDrmMinorAreIgnored) {
    auto render = drm("change", "/devices/pci0000:00/0000:00:02.0/drm/renderD128", "drm_minor");
    render["HOTPLUG"] = "1";
    EXPECT_EQ(classify_uevent(render).step, UeventStep::Ignore);
    auto odd = drm("change", kCard, "");
    odd["HOTPLUG"] = "1";
    EXPECT_EQ(classify_uevent(odd).step, UeventStep::Ignore);
}

TEST(UeventRules, ConnectorAddAndChangeRereadIt) {
    for (const char* action : {"add", "change"}) {
        auto d = classify_uevent(drm(action, kCard + "/card0-HDMI-A-1", "drm_connector"));
        EXPECT_EQ(d.step, UeventStep::RereadConnector) << action;
        EXPECT_EQ(d.card, "card0");
        EXPECT_EQ(d.connector, "HDMI-A-1");
    }
}

TEST(UeventRules, ConnectorRemoveDropsItAndIsNoUnplug) {
    auto d = classify_uevent(drm("remove", kCard + "/card0-DP-2", "drm_connector"));
    EXPECT_EQ(d.step, UeventStep::DropConnector);
    EXPECT_EQ(d.connector, "DP-2");
}

TEST(UeventRules, UsbDeviceAddAndRemove) {
    Properties props = {
        {"ACTION", "add"}, {"SUBSYSTEM", "usb"}, {"DEVTYPE", "usb_device"}, {"DEVPATH", "/devices/usb1/1-1"}};
    EXPECT_EQ(classify_uevent(props).step, UeventStep::UsbAdded);
    props["ACTION"] = "remove";
    EXPECT_EQ(classify_uevent(props).step, UeventStep::UsbRemoved);
    props["ACTION"] = "bind";
    EXPECT_EQ(classify_uevent(props).step, UeventStep::UsbBound);
    props["ACTION"] = "unbind";
    EXPECT_EQ(classify_uevent(props).step, UeventStep::UsbUnbound);
    props["ACTION"] = "change";
    EXPECT_EQ(classify_uevent(props).step, UeventStep::Ignore);
}

// usbhid letting go of an interface (our own passthrough does that) is neither.
TEST(UeventRules, UsbInterfaceBindAndUnbindAreIgnored) {
    Properties props = {{"ACTION", "unbind"},
                        {"SUBSYSTEM", "usb"},
                        {"DEVTYPE", "usb_interface"},
                        {"DEVPATH", "/devices/usb1/1-1/1-1:1.0"}};
    EXPECT_EQ(classify_uevent(props).step, UeventStep::Ignore);
    props["ACTION"] = "bind";
    EXPECT_EQ(classify_uevent(props).step, UeventStep::Ignore);
}

TEST(UeventRules, UsbInterfacesInputAndUnknownActionsAreIgnored) {
    EXPECT_EQ(classify_uevent({{"ACTION", "remove"}, {"SUBSYSTEM", "usb"}, {"DEVTYPE", "usb_interface"}}).step,
              UeventStep::Ignore);
    EXPECT_EQ(
        classify_uevent({{"ACTION", "add"}, {"SUBSYSTEM", "input"}, {"DEVPATH", "/devices/virtual/input/input3"}}).step,
        UeventStep::Ignore);
    EXPECT_EQ(classify_uevent({{"ACTION", "explode"}, {"SUBSYSTEM", "usb"}, {"DEVTYPE", "usb_device"}}).step,
              UeventStep::Ignore);
    EXPECT_EQ(classify_uevent(Properties{}).step, UeventStep::Ignore);
}

TEST(UeventRules, Sysnames) {
    EXPECT_TRUE(is_card_sysname("card0"));
    EXPECT_TRUE(is_card_sysname("card12"));
    EXPECT_FALSE(is_card_sysname("card"));
    EXPECT_FALSE(is_card_sysname("card0-DP-1"));
    EXPECT_FALSE(is_card_sysname("renderD128"));
    auto name = parse_connector_sysname("card1-eDP-1");
    ASSERT_TRUE(name);
    EXPECT_EQ(name->card, "card1");
    EXPECT_EQ(name->connector, "eDP-1");
    EXPECT_FALSE(parse_connector_sysname("card0"));
    EXPECT_FALSE(parse_connector_sysname("card0-"));
    EXPECT_FALSE(parse_connector_sysname("cardX-DP-1"));
    EXPECT_FALSE(parse_connector_sysname("card-DP-1"));
    EXPECT_EQ(sysname_of("/devices/a/b"), "b");
    EXPECT_EQ(sysname_of("plain"), "plain");
}

TEST(PropertyLimits, CapsCountAndSize) {
    PropertyCollector collector;
    for (std::size_t i = 0; i < kMaxProperties + 5; ++i) collector.add("P" + std::to_string(1000 + i), "v");
    EXPECT_EQ(collector.dropped(), 5u);
    EXPECT_EQ(collector.take().size(), kMaxProperties);

    PropertyCollector sizes;
    sizes.add("BIG", std::string(kMaxPropertyBytes + 1, 'x'));
    sizes.add("EXACT", std::string(kMaxPropertyBytes, 'x'));
    sizes.add("", "no name");
    EXPECT_EQ(sizes.dropped(), 2u);
    auto kept = sizes.take();
    EXPECT_EQ(kept.size(), 1u);
    EXPECT_TRUE(kept.count("EXACT"));
}

}  // namespace
}  // namespace hotseat::udev
