// Method calls from root: they reach the daemon's handlers, and refusals map to D-Bus errors.
#include "dbus_fixture.h"

namespace hotseat::test {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

TEST_F(DbusServiceTest, StartFromRootReachesTheHandler) {
    auto out = busctl({"call", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Start"});
    EXPECT_EQ(out.status, 0) << out.output;
    ASSERT_EQ(commands_.size(), 1u);
    EXPECT_EQ(commands_[0].vm, "arch-desktop");
    EXPECT_EQ(commands_[0].action, Action::Start);
    EXPECT_EQ(commands_[0].origin, "dbus:Start uid=0");
}

TEST_F(DbusServiceTest, EachMethodCarriesItsAction) {
    for (const char* method : {"Stop", "Toggle", "ForceStop", "Hibernate"}) {
        auto out = busctl({"call", "org.hotseat.Supervisor1", kWinPath, "org.hotseat.Supervisor1.VM", method});
        EXPECT_EQ(out.status, 0) << method << ": " << out.output;
    }
    ASSERT_EQ(commands_.size(), 4u);
    EXPECT_EQ(commands_[0].action, Action::Stop);
    EXPECT_EQ(commands_[0].origin, "dbus:Stop uid=0");
    EXPECT_EQ(commands_[1].action, Action::Toggle);
    EXPECT_EQ(commands_[2].action, Action::ForceStop);
    EXPECT_EQ(commands_[2].origin, "dbus:ForceStop uid=0");
    EXPECT_EQ(commands_[3].action, Action::Hibernate);
    EXPECT_EQ(commands_[3].origin, "dbus:Hibernate uid=0");
    for (const auto& c : commands_) EXPECT_EQ(c.vm, "win11");
}

TEST_F(DbusServiceTest, RefusalsMapToErrorNames) {
    replies_["arch-desktop"] = CommandReply{CommandReply::Outcome::Busy, "0000:00:02.0 is held by win11", {}};
    replies_["win11"] = CommandReply{CommandReply::Outcome::NotFound, "no libvirt domain 'win11'", {}};

    auto busy = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Start");
    EXPECT_NE(busy.status, 0);
    EXPECT_TRUE(contains(busy.output, "Error org.hotseat.Supervisor1.Error.Busy: 0000:00:02.0 is held by win11"))
        << busy.output;

    auto missing = dbus_send(kWinPath, "org.hotseat.Supervisor1.VM.Stop");
    EXPECT_TRUE(contains(missing.output, "Error org.hotseat.Supervisor1.Error.NotFound: no libvirt domain 'win11'"))
        << missing.output;

    replies_["win11"] = CommandReply{CommandReply::Outcome::Failed, "", {}};
    auto failed = dbus_send(kWinPath, "org.hotseat.Supervisor1.VM.Toggle");
    EXPECT_TRUE(contains(failed.output, "Error org.hotseat.Supervisor1.Error.Failed")) << failed.output;
}

TEST_F(DbusServiceTest, ExceptionsInTheHandlerBecomeFailedAndTheServiceLives) {
    throw_from_handler_ = true;
    auto out = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Start");
    EXPECT_TRUE(contains(out.output, "Error org.hotseat.Supervisor1.Error.Failed: handler exploded")) << out.output;

    auto state = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "State"});
    EXPECT_EQ(state.output, "s \"off\"\n");
}

TEST_F(DbusServiceTest, ReloadReportsInvalidConfig) {
    auto ok = busctl(
        {"call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager", "Reload"});
    EXPECT_EQ(ok.status, 0) << ok.output;
    EXPECT_EQ(reloads_, 1);

    reload_error_ = "hotseat.toml:7:9: debounce_ms must be at most 60000";
    auto bad = dbus_send("/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager.Reload");
    EXPECT_EQ(reloads_, 2);
    EXPECT_TRUE(contains(bad.output,
                         "Error org.hotseat.Supervisor1.Error.InvalidConfig: hotseat.toml:7:9: "
                         "debounce_ms must be at most 60000"))
        << bad.output;
}

TEST_F(DbusServiceTest, SecondOwnerIsRefusedClearly) {
    dbus::BusService second({}, {}, "");
    try {
        second.request_name();
        FAIL() << "a second service took the name";
    } catch (const std::runtime_error& e) {
        EXPECT_TRUE(contains(e.what(), "cannot own org.hotseat.Supervisor1")) << e.what();
    }
}

}  // namespace
}  // namespace hotseat::test
