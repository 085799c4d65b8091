// Hibernation and suspend to RAM through the adapter, against libvirt 9.0's test driver: it has a
// PMSUSPENDED run state but implements neither virDomainPMSuspendForDuration nor
// virDomainPMWakeup, so these tests see the refusals the engine falls back from (the calls that
// work are exercised against the real libvirtd in tests/e2e/test_hibernate.cpp).
#include <gtest/gtest.h>

#include "event_collector.h"
#include "libvirt/hypervisor.h"

namespace hotseat::libvirt {
namespace {

using test::EventCollector;

const std::string node_uri = "test://" HOTSEAT_LIBVIRT_TEST_DATA "/node.xml";
const std::string pm_node_uri = "test://" HOTSEAT_LIBVIRT_TEST_DATA "/pm-node.xml";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class SleepTest : public ::testing::Test {
protected:
    void connect(const std::string& uri, std::vector<std::string> domains) {
        const std::size_t count = domains.size();
        hypervisor = std::make_unique<Hypervisor>(uri, std::move(domains));
        events = std::make_unique<EventCollector>(*hypervisor);
        hypervisor->start();
        auto connection = events->take<LibvirtConnection>();
        ASSERT_TRUE(connection && connection->connected);
        for (std::size_t i = 0; i < count; ++i) {
            auto snapshot = events->take<DomainSnapshot>();
            ASSERT_TRUE(snapshot);
            snapshots.push_back(*snapshot);
        }
    }

    DomainOpResult result_of(const std::string& vm, DomainOp op) {
        auto result = events->take<DomainOpResult>([&](const DomainOpResult& r) { return r.vm == vm && r.op == op; });
        EXPECT_TRUE(result) << "no DomainOpResult for " << vm;
        return result.value_or(DomainOpResult{vm, op, false, "(none arrived)", false});
    }

    std::unique_ptr<Hypervisor> hypervisor;
    std::unique_ptr<EventCollector> events;
    std::vector<DomainSnapshot> snapshots;
};

TEST_F(SleepTest, APmsuspendedDomainIsSuspended) {
    connect(pm_node_uri, {"asleep"});
    ASSERT_EQ(snapshots.size(), 1u);
    EXPECT_TRUE(snapshots[0].exists);
    EXPECT_EQ(snapshots[0].state, DomainRunState::Suspended);
}

TEST_F(SleepTest, HibernateRefusedIsAFailureOfARunningDomain) {
    connect(node_uri, {"already-running"});
    hypervisor->execute(HibernateDomain{"already-running"});
    auto result = result_of("already-running", DomainOp::Hibernate);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(contains(result.error, "virDomainPMSuspendForDuration")) << result.error;
    EXPECT_FALSE(result.guest_went_down) << "the domain is still running: the engine must fall back";
}

// The call runs on a thread of its own; the worker answers other jobs meanwhile and after it.
TEST_F(SleepTest, OtherCallsGoOnAroundAHibernation) {
    connect(node_uri, {"already-running", "arch-desktop"});
    hypervisor->execute(HibernateDomain{"already-running"});
    hypervisor->execute(StartDomain{"arch-desktop"});
    EXPECT_TRUE(result_of("arch-desktop", DomainOp::Start).ok);
    EXPECT_FALSE(result_of("already-running", DomainOp::Hibernate).ok);
}

TEST_F(SleepTest, HibernateOfAnUnknownDomainSaysSo) {
    connect(node_uri, {"not-in-libvirt"});
    hypervisor->execute(HibernateDomain{"not-in-libvirt"});
    auto result = result_of("not-in-libvirt", DomainOp::Hibernate);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(contains(result.error, "not found")) << result.error;
}

TEST_F(SleepTest, WakeupRefusedSaysWhy) {
    connect(pm_node_uri, {"asleep"});
    hypervisor->execute(WakeDomain{"asleep"});
    auto result = result_of("asleep", DomainOp::Wakeup);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(contains(result.error, "virDomainPMWakeup")) << result.error;
}

// The fallback's ACPI-only shutdown: the test driver refuses the flag, and gets its plain one.
TEST_F(SleepTest, AcpiOnlyShutdownStopsTheDomain) {
    connect(node_uri, {"already-running"});
    hypervisor->execute(ShutdownDomain{"already-running", true});
    auto result = result_of("already-running", DomainOp::Shutdown);
    EXPECT_TRUE(result.ok) << result.error;
    auto stopped = events->take<DomainLifecycle>(
        [](const DomainLifecycle& l) { return l.kind == DomainLifecycle::Kind::Stopped; });
    ASSERT_TRUE(stopped);
    EXPECT_FALSE(stopped->by_guest) << "hotseat asked for this shutdown";
}

TEST_F(SleepTest, ASuspendedDomainCanBeDestroyed) {
    connect(pm_node_uri, {"asleep"});
    hypervisor->execute(DestroyDomain{"asleep"});
    EXPECT_TRUE(result_of("asleep", DomainOp::Destroy).ok);
    auto stopped = events->take<DomainLifecycle>(
        [](const DomainLifecycle& l) { return l.kind == DomainLifecycle::Kind::Stopped; });
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->detail, "destroyed");
}

}  // namespace
}  // namespace hotseat::libvirt
