// Who may change state: the shipped bus policy and the daemon's own check, each on its own.
#include "dbus_fixture.h"

#include "dbus/gatekeeper.h"

namespace hotseat::test {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

TEST(Gatekeeper, RootAndGroupMembersMayControl) {
    EXPECT_TRUE(dbus::uid_may_control(0, ""));
    EXPECT_TRUE(dbus::uid_may_control(0, "no-such-group"));
    EXPECT_FALSE(dbus::uid_may_control(65534, ""));
    EXPECT_FALSE(dbus::uid_may_control(65534, "no-such-group"));
    EXPECT_FALSE(dbus::uid_may_control(65534, "root"));
    EXPECT_TRUE(dbus::uid_may_control(65534, "nogroup"));  // nobody's primary group
    EXPECT_FALSE(dbus::uid_may_control(4000000, "nogroup"));  // no passwd entry
}

TEST_F(DbusServiceTest, PolicyRefusesStartFromAnUnprivilegedCaller) {
    auto out = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Start", /*as_nobody=*/true);
    EXPECT_NE(out.status, 0);
    EXPECT_TRUE(contains(out.output, "Error org.freedesktop.DBus.Error.AccessDenied")) << out.output;
    // The bus daemon said no: the service never saw the call.
    EXPECT_TRUE(contains(out.output, "Rejected send message")) << out.output;
    EXPECT_TRUE(commands_.empty());

    auto reload = dbus_send("/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager.Reload", true);
    EXPECT_TRUE(contains(reload.output, "Error org.freedesktop.DBus.Error.AccessDenied")) << reload.output;
    EXPECT_EQ(reloads_, 0);

    auto hibernate = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Hibernate", true);
    EXPECT_TRUE(contains(hibernate.output, "Rejected send message")) << hibernate.output;
    EXPECT_TRUE(commands_.empty());
}

TEST_F(DbusServiceTest, PolicyLetsRootHibernate) {
    auto out = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Hibernate");
    EXPECT_EQ(out.status, 0) << out.output;
    ASSERT_EQ(commands_.size(), 1u);
    EXPECT_EQ(commands_[0].action, Action::Hibernate);
}

TEST_F(DbusServiceTest, PolicyLetsOnlyRootOwnTheName) {
    auto out = busctl({"call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                       "RequestName", "su", "org.hotseat.Supervisor1", "4"},
                      /*as_nobody=*/true);
    EXPECT_NE(out.status, 0) << out.output;
}

TEST_F(PermissiveBusTest, DaemonRefusesStartFromAnUnprivilegedCaller) {
    auto out = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Start", /*as_nobody=*/true);
    EXPECT_NE(out.status, 0);
    EXPECT_TRUE(contains(out.output, "Error org.freedesktop.DBus.Error.AccessDenied: Start: uid 65534 is neither "
                                     "root nor a member of group"))
        << out.output;
    EXPECT_TRUE(commands_.empty());

    auto reload = dbus_send("/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager.Reload", true);
    EXPECT_TRUE(contains(reload.output, "Error org.freedesktop.DBus.Error.AccessDenied: Reload:")) << reload.output;
    EXPECT_EQ(reloads_, 0);

    auto hibernate = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Hibernate", true);
    EXPECT_TRUE(contains(hibernate.output, "Error org.freedesktop.DBus.Error.AccessDenied: Hibernate: uid 65534"))
        << hibernate.output;
    EXPECT_TRUE(commands_.empty());
}

TEST_F(PermissiveBusTest, DaemonAdmitsMembersOfTheControlGroup) {
    service_->set_control_group("nogroup");
    auto out = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Toggle", /*as_nobody=*/true);
    EXPECT_EQ(out.status, 0) << out.output;
    ASSERT_EQ(commands_.size(), 1u);
    EXPECT_EQ(commands_[0].origin, "dbus:Toggle uid=65534");
}

}  // namespace
}  // namespace hotseat::test
