// The warning before an automatic stop on the bus (docs/design.md "Warned stops"): the PendingStop and
// IdleInhibitor properties, and the Postpone method with the same authorisation as Stop.
#include "dbus_fixture.h"

namespace hotseat::test {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

VmStatus arch_with_pending_stop() {
    VmStatus status;
    status.name = "arch-desktop";
    status.state = VmState::Running;
    status.pending_stop = PendingStop{1700000060000000, "stop", "idle (rule walked-away)"};
    return status;
}

TEST_F(DbusServiceTest, NoPendingStopReadsAsZeroAndEmpty) {
    auto out = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM",
                       "PendingStop", "IdleInhibitor"});
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_EQ(out.output, "(tss) 0 \"\" \"\"\ns \"\"\n");
}

TEST_F(DbusServiceTest, PendingStopAndInhibitorArePublishedWithPropertiesChanged) {
    auto status = arch_with_pending_stop();
    service_->publish(PublishVm{status});
    settle_signals();
    auto changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].args, (std::vector<std::string>{"org.hotseat.Supervisor1.VM", "PendingStop", "State"}));
    auto out = busctl(
        {"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "PendingStop"});
    EXPECT_EQ(out.output, "(tss) 1700000060000000 \"stop\" \"idle (rule walked-away)\"\n");

    forget_signals();
    status.pending_stop = PendingStop{};
    status.idle_inhibitor = "audio playing (card0 pcm0p)";
    service_->publish(PublishVm{status});
    settle_signals();
    changes = seen("PropertiesChanged");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].args,
              (std::vector<std::string>{"org.hotseat.Supervisor1.VM", "IdleInhibitor", "PendingStop"}));
    out = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "PendingStop",
                  "IdleInhibitor"});
    EXPECT_EQ(out.output, "(tss) 0 \"\" \"\"\ns \"audio playing (card0 pcm0p)\"\n");
}

TEST_F(DbusServiceTest, PostponeFromRootReachesTheHandler) {
    auto out = busctl(
        {"call", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Postpone", "u", "600"});
    EXPECT_EQ(out.status, 0) << out.output;
    ASSERT_EQ(postpones_.size(), 1u);
    EXPECT_EQ(postpones_[0].vm, "arch-desktop");
    EXPECT_EQ(postpones_[0].seconds, 600u);
    EXPECT_EQ(postpones_[0].origin, "dbus:Postpone uid=0");
    EXPECT_TRUE(commands_.empty());
}

TEST_F(DbusServiceTest, PostponeRefusalsMapToErrorNames) {
    replies_["win11"] = CommandReply{CommandReply::Outcome::Failed, "no stop is pending for win11 (it is off)", {}};
    auto out = run({"dbus-send", "--system", "--print-reply", "--dest=org.hotseat.Supervisor1", kWinPath,
                    "org.hotseat.Supervisor1.VM.Postpone", "uint32:0"});
    EXPECT_NE(out.status, 0);
    EXPECT_TRUE(contains(out.output, "Error org.hotseat.Supervisor1.Error.Failed: no stop is pending for win11"))
        << out.output;
}

TEST_F(DbusServiceTest, PolicyRefusesPostponeFromAnUnprivilegedCaller) {
    auto out = run({"dbus-send", "--system", "--print-reply", "--dest=org.hotseat.Supervisor1", kArchPath,
                    "org.hotseat.Supervisor1.VM.Postpone", "uint32:60"},
                   /*as_nobody=*/true);
    EXPECT_TRUE(contains(out.output, "Error org.freedesktop.DBus.Error.AccessDenied")) << out.output;
    EXPECT_TRUE(contains(out.output, "Rejected send message")) << out.output;
    EXPECT_TRUE(postpones_.empty());
}

TEST_F(PermissiveBusTest, DaemonRefusesPostponeFromAnUnprivilegedCaller) {
    auto out = run({"dbus-send", "--system", "--print-reply", "--dest=org.hotseat.Supervisor1", kArchPath,
                    "org.hotseat.Supervisor1.VM.Postpone", "uint32:60"},
                   /*as_nobody=*/true);
    EXPECT_TRUE(contains(out.output,
                         "Error org.freedesktop.DBus.Error.AccessDenied: Postpone: uid 65534 is neither "
                         "root nor a member of group"))
        << out.output;
    EXPECT_TRUE(postpones_.empty());
}

TEST_F(PermissiveBusTest, DaemonAdmitsPostponeFromTheControlGroup) {
    service_->set_control_group("nogroup");
    auto out = run({"dbus-send", "--system", "--print-reply", "--dest=org.hotseat.Supervisor1", kArchPath,
                    "org.hotseat.Supervisor1.VM.Postpone", "uint32:0"},
                   /*as_nobody=*/true);
    EXPECT_EQ(out.status, 0) << out.output;
    ASSERT_EQ(postpones_.size(), 1u);
    EXPECT_EQ(postpones_[0].seconds, 0u);
    EXPECT_EQ(postpones_[0].origin, "dbus:Postpone uid=65534");
}

}  // namespace
}  // namespace hotseat::test
