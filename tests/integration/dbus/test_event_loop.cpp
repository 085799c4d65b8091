// The sd-event integration: backed-up writes, reentrant reloads, a lost bus.
#include "dbus_fixture.h"

#include <poll.h>
#include <signal.h>

namespace hotseat::test {
namespace {

// While dbus-daemon is stopped, far more than fits in the socket buffer (sd-bus asks for 8 MiB)
// is published: sd-bus
// queues the writes and asks for POLLOUT; only a loop that re-arms the fd's events before every
// wait gets them all out once the daemon reads again.
class StalledBusTest : public DbusServiceTest {
protected:
    void publish_burst(const std::string& vm, int count) {
        ASSERT_EQ(::kill(bus_->pid(), SIGSTOP), 0);
        VmStatus status;
        status.name = vm;
        for (int i = 0; i < count; ++i) {
            status.devices = {std::string(16 * 1024, 'a' + i % 26) + std::to_string(i)};
            service_->publish(PublishVm{status});
        }
        // Let the loop take what it can while the daemon still sleeps: from here on only the
        // fd becoming writable can make the service send the rest.
        for (int i = 0; i < 3; ++i) sd_event_run(loop_, 0);
        EXPECT_TRUE(service_->connection().getEventLoopPollData().events & POLLOUT);
        ASSERT_EQ(::kill(bus_->pid(), SIGCONT), 0);
    }
};

TEST_F(StalledBusTest, BackedUpWritesAreFlushedByTheLoop) {
    publish_burst("arch-desktop", 1000);
    settle_signals();
    EXPECT_EQ(seen("PropertiesChanged").size(), 1000u);
}

TEST_F(StalledBusTest, FlushWritesOutTheQueue) {
    publish_burst("win11", 1000);
    service_->flush(std::chrono::seconds(5));
    EXPECT_FALSE(service_->connection().getEventLoopPollData().events & POLLOUT);
    settle_signals();
    EXPECT_EQ(seen("PropertiesChanged").size(), 1000u);
}

// hotseatd's Reload handler rebuilds the VM set from inside the method call. The fixture's
// service is replaced by one whose handler does that.
TEST_F(DbusServiceTest, ReloadMayChangeTheVmSetFromInsideTheCall) {
    service_.reset();
    dbus::BusService::Handlers handlers;
    handlers.reload = [this] {
        service_->set_vms({"arch-desktop", "android"});
        service_->set_config("/etc/hotseat/hotseat.toml", "");
        return std::string();
    };
    service_ = std::make_unique<dbus::BusService>(std::vector<std::string>{"arch-desktop", "win11"},
                                                  std::move(handlers), "");
    service_->request_name();
    service_->attach(loop_);

    auto out = busctl(
        {"call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager", "Reload"});
    EXPECT_EQ(out.status, 0) << out.output;
    auto list = busctl(
        {"call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager", "ListVMs"});
    EXPECT_EQ(list.output, std::string("a(sos) 2 \"arch-desktop\" \"") + kArchPath +
                               "\" \"off\" \"android\" \"/org/hotseat/Supervisor1/vm/android\" \"off\"\n");
}

TEST_F(DbusServiceTest, LosingTheBusEndsTheLoopWithAFailure) {
    bus_->stop();
    int code = 0;
    ASSERT_TRUE(pump_until([&] { return sd_event_get_exit_code(loop_, &code) >= 0; }));
    EXPECT_EQ(code, EXIT_FAILURE);
}

// after_delivered (the daemon holds its libvirt work on it, docs/design.md "Tell first, then
// work"): when it calls back, the bus daemon has passed the signal on, so the watcher gets it with
// the bus daemon stopped.
TEST_F(DbusServiceTest, AfterDeliveredCallsBackOnceTheBusDaemonPassedTheSignalOn) {
    VmStatus status;
    status.name = "arch-desktop";
    status.state = VmState::Starting;
    service_->publish(PublishVm{status});
    bool called = false;
    service_->after_delivered(
        [&] {
            called = true;
            ASSERT_EQ(::kill(bus_->pid(), SIGSTOP), 0);
        },
        std::chrono::seconds(10));
    EXPECT_FALSE(called) << "called back before the bus daemon could answer";
    ASSERT_TRUE(pump_until([&] { return called; }));
    bool arrived = pump_until([&] { return !seen("PropertiesChanged").empty(); }, std::chrono::seconds(2));
    ASSERT_EQ(::kill(bus_->pid(), SIGCONT), 0);
    EXPECT_TRUE(arrived) << "the signal was still waiting for the bus daemon";
}

// A stuck bus daemon delays what waits on it, and never stops it.
TEST_F(DbusServiceTest, AfterDeliveredGoesOnWhenTheBusDaemonDoesNotAnswer) {
    ASSERT_EQ(::kill(bus_->pid(), SIGSTOP), 0);
    bool called = false;
    service_->after_delivered([&] { called = true; }, std::chrono::milliseconds(50));
    bool went_on = pump_until([&] { return called; });
    ASSERT_EQ(::kill(bus_->pid(), SIGCONT), 0);
    EXPECT_TRUE(went_on);
}

}  // namespace
}  // namespace hotseat::test
