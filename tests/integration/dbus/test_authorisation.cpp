// Who may change state: the shipped bus policy and the daemon's own check, each on its own.
#include "dbus_fixture.h"

#include <fcntl.h>
#include <unistd.h>

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
    EXPECT_TRUE(dbus::uid_may_control(65534, "nogroup"));     // nobody's primary group
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
    auto out = busctl({"call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
                       "su", "org.hotseat.Supervisor1", "4"},
                      /*as_nobody=*/true);
    EXPECT_NE(out.status, 0) << out.output;
}

TEST_F(PermissiveBusTest, DaemonRefusesStartFromAnUnprivilegedCaller) {
    auto out = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Start", /*as_nobody=*/true);
    EXPECT_NE(out.status, 0);
    EXPECT_TRUE(contains(out.output,
                         "Error org.freedesktop.DBus.Error.AccessDenied: Start: uid 65534 is neither "
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

// Anyone may call, so anyone could fill the journal with refusals (issue #19 item 7): a flood of
// refused calls writes a burst of notices, then one now and then saying how many were left out.
TEST_F(PermissiveBusTest, RefusalNoticesAreRateLimited) {
    TempDir dir;
    const std::string log_path = dir.file("stderr");
    int saved = ::dup(STDERR_FILENO);
    int file = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(saved, 0);
    ASSERT_GE(file, 0);
    ::dup2(file, STDERR_FILENO);
    ::close(file);
    const auto began = std::chrono::steady_clock::now();
    constexpr int kCalls = 3 * dbus::Gatekeeper::kRefusalBurst;
    int refused = 0;
    for (int i = 0; i < kCalls; ++i)
        if (contains(dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Start", true).output, "AccessDenied")) ++refused;
    const auto elapsed = std::chrono::steady_clock::now() - began;
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    EXPECT_EQ(refused, kCalls);
    EXPECT_TRUE(commands_.empty());

    std::string log = read_file(log_path);
    std::size_t notices = 0;
    for (std::size_t at = log.find("refused Start"); at != std::string::npos; at = log.find("refused Start", at + 1))
        ++notices;
    // The bucket refills one line every kRefusalRefillUs: how many the calls' own duration earned.
    const auto refilled = static_cast<std::size_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() / dbus::Gatekeeper::kRefusalRefillUs);
    EXPECT_GE(notices, std::size_t{dbus::Gatekeeper::kRefusalBurst}) << log;
    EXPECT_LE(notices, dbus::Gatekeeper::kRefusalBurst + refilled) << log;
    if (refilled > 0) {
        EXPECT_TRUE(contains(log, "more refusals not logged before this one")) << log;
    }
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
