#include <gtest/gtest.h>

#include "libvirt/guest_channel_xml.h"

namespace hotseat::libvirt {
namespace {

TEST(GuestChannelXml, LiveXmlGivesThePath) {
    auto found = find_guest_channel(R"(<domain type='kvm'><devices>
    <channel type='unix'>
      <source mode='bind' path='/var/lib/libvirt/qemu/channel/target/domain-1-arch/org.qemu.guest_agent.0'/>
      <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>
    </channel>
    <channel type='unix'>
      <source mode='bind' path='/run/hotseat-guest/arch-desktop.sock'/>
      <target type='virtio' name='org.hotseat.guest.0' state='disconnected'/>
      <alias name='channel1'/>
    </channel></devices></domain>)");
    EXPECT_TRUE(found.present);
    EXPECT_EQ(found.path, "/run/hotseat-guest/arch-desktop.sock");
    EXPECT_EQ(found.problem, "");
}

TEST(GuestChannelXml, InactiveXmlWithoutPathIsPresent) {
    auto found = find_guest_channel(R"(<channel type="unix"><source mode="bind"/>
      <target type="virtio" name="org.hotseat.guest.0"/></channel>)");
    EXPECT_TRUE(found.present);
    EXPECT_EQ(found.path, "");
}

TEST(GuestChannelXml, OtherChannelsAndTypesAreNotIt) {
    EXPECT_FALSE(find_guest_channel("<domain/>").present);
    EXPECT_FALSE(
        find_guest_channel(R"(<channel type='pty'><target type='virtio' name='org.hotseat.guest.0'/></channel>)")
            .present);
    EXPECT_FALSE(
        find_guest_channel(R"(<channel type='unix'><target type='virtio' name='org.hotseat.guest.01'/></channel>)")
            .present);
    EXPECT_FALSE(
        find_guest_channel(R"(<channel type='unix'><target type='virtio' name='org.hotseat.guest.0'/>)").present);
}

TEST(GuestChannelXml, ConnectModeIsAProblem) {
    auto found = find_guest_channel(R"(<channel type='unix'><source mode='connect' path='/x'/>
      <target type='virtio' name='org.hotseat.guest.0'/></channel>)");
    EXPECT_TRUE(found.present);
    EXPECT_NE(found.problem, "");
}

TEST(GuestChannelXml, TheExampleDomainHasIt) {
    // docs/examples/arch-desktop.xml, as shipped.
    std::FILE* f = std::fopen(HOTSEAT_EXAMPLE_DOMAIN, "r");
    ASSERT_NE(f, nullptr);
    std::string xml;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;) xml.append(buf, n);
    std::fclose(f);
    auto found = find_guest_channel(xml);
    EXPECT_TRUE(found.present);
    EXPECT_EQ(found.path, "/run/hotseat-guest/arch-desktop.sock");
}

// docs/guest-channel.md: /run/hotseat-guest is where hotseatd's user can connect.
TEST(GuestChannelLocation, OnlyTheGuestDirectoryIsKnownGood) {
    EXPECT_EQ(guest_channel_location_problem("/run/hotseat-guest/arch-desktop.sock"), "");
    EXPECT_NE(guest_channel_location_problem("/run/hotseat/arch-desktop.guest.sock").find("the hook's directory"),
              std::string::npos);
    EXPECT_NE(guest_channel_location_problem("").find("/var/lib/libvirt/qemu/channel/target/"), std::string::npos);
    EXPECT_EQ(guest_channel_location_problem("/run/hotseat-guestX/a.sock"), "") << "not ours, nothing known against it";
    EXPECT_NE(guest_channel_location_problem("/run/hotseat/../hotseat-guest/a.sock"), "");
    EXPECT_NE(guest_channel_location_problem("/run/hotseat-guest/../hotseat/a.sock"), "");
}

}  // namespace
}  // namespace hotseat::libvirt
