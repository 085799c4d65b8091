// The Hypervisor against a real (unprivileged, private) libvirtd serving the test driver: events
// over the remote protocol, the close callback when the daemon dies, and the reconnect.
#include <poll.h>

#include <chrono>
#include <iostream>

#include <gtest/gtest.h>

#include "event_collector.h"
#include "libvirt/hypervisor.h"
#include "session_libvirtd.h"

namespace hotseat::libvirt {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::EventCollector;

const std::string node_xml = HOTSEAT_LIBVIRT_TEST_DATA "/node.xml";

class ReconnectTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(daemon.start()) << daemon.log(); }
    void TearDown() override {
        if (HasFailure()) std::cerr << "libvirtd log:\n" << daemon.log();
    }

    test::SessionLibvirtd daemon;
};

TEST_F(ReconnectTest, EventsArriveOverTheRemoteProtocol) {
    Hypervisor hv(daemon.uri_for(node_xml), {"arch-desktop"});
    EventCollector events(hv);
    hv.start();
    auto connection = events.take<LibvirtConnection>();
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->connected) << connection->error;
    auto snapshot = events.take<DomainSnapshot>();
    ASSERT_TRUE(snapshot);
    EXPECT_EQ(snapshot->state, DomainRunState::Off);

    hv.execute(StartDomain{"arch-desktop"});
    auto result = events.take<DomainOpResult>();
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->ok) << result->error;
    auto started = events.take<DomainLifecycle>();
    ASSERT_TRUE(started);
    EXPECT_EQ(started->kind, DomainLifecycle::Kind::Started);
}

TEST_F(ReconnectTest, DaemonDeathIsReportedAndTheConnectionComesBack) {
    Hypervisor hv(daemon.uri_for(node_xml), {"arch-desktop", "already-running"});
    EventCollector events(hv);
    hv.start();
    ASSERT_TRUE(events.take<LibvirtConnection>([](const LibvirtConnection& c) { return c.connected; }));
    ASSERT_TRUE(events.take<DomainSnapshot>());
    ASSERT_TRUE(events.take<DomainSnapshot>());

    const auto killed = Clock::now();
    daemon.kill();
    auto lost = events.take<LibvirtConnection>();
    ASSERT_TRUE(lost);
    EXPECT_FALSE(lost->connected);
    EXPECT_NE(lost->error, "");
    std::cout << "daemon killed -> LibvirtConnection{false, \"" << lost->error << "\"} in "
              << std::chrono::duration<double, std::milli>(Clock::now() - killed).count() << " ms\n";

    // A job while disconnected fails at once: answered by execute() itself, queued before it returns.
    hv.execute(StartDomain{"arch-desktop"});
    pollfd queued{hv.fd(), POLLIN, 0};
    ASSERT_EQ(poll(&queued, 1, 0), 1) << "a job while disconnected must fail at once";
    auto refused = events.take<DomainOpResult>({}, 0ms);
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->ok);
    EXPECT_NE(refused->error.find("not connected to libvirt"), std::string::npos) << refused->error;

    ASSERT_TRUE(daemon.start()) << daemon.log();
    auto back = events.take<LibvirtConnection>();
    ASSERT_TRUE(back);
    EXPECT_TRUE(back->connected) << back->error;
    // After a reconnect the truth is read again.
    auto desktop = events.take<DomainSnapshot>([](const DomainSnapshot& s) { return s.vm == "arch-desktop"; });
    auto running = events.take<DomainSnapshot>([](const DomainSnapshot& s) { return s.vm == "already-running"; });
    ASSERT_TRUE(desktop && running);
    EXPECT_TRUE(desktop->exists);
    EXPECT_EQ(running->state, DomainRunState::Running);

    // And the new connection carries events again.
    hv.execute(DestroyDomain{"already-running"});
    auto stopped = events.take<DomainLifecycle>();
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->vm, "already-running");
    EXPECT_EQ(stopped->detail, "destroyed");
}

// The worker waits an hour before trying again, so a stop that waited for it would hang until
// CTest's timeout ends the test: no stopwatch decides what "prompt" means.
TEST_F(ReconnectTest, StoppingWhileTheDaemonIsGoneIsPrompt) {
    auto hv = std::make_unique<Hypervisor>(daemon.uri_for(node_xml), std::vector<std::string>{"arch-desktop"},
                                           Backoff{std::chrono::hours(1)});
    EventCollector events(*hv);
    hv->start();
    ASSERT_TRUE(events.take<LibvirtConnection>([](const LibvirtConnection& c) { return c.connected; }));
    daemon.kill();
    ASSERT_TRUE(events.take<LibvirtConnection>([](const LibvirtConnection& c) { return !c.connected; }));

    hv.reset();  // returns only once the worker has ended
}

}  // namespace
}  // namespace hotseat::libvirt
