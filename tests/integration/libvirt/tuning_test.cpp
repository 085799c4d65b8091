// The governor's libvirt calls (Hypervisor::execute of SetCpuWeight, SetVcpuQuota, SetBalloon,
// SuspendDomain, ResumeDomain) against libvirt's test driver, which really implements live
// memory (balloon) and suspend/resume, and refuses the cgroup scheduler calls (it knows only a
// "weight" parameter and no live flag). A refusal must come back as a TuneResult with libvirt's
// message, never as a crash; tests/e2e/test_governor.cpp covers them on a real libvirtd. `already-running` in node.xml has 512 MiB.
#include <gtest/gtest.h>

#include "event_collector.h"
#include "libvirt/hypervisor.h"

namespace hotseat::libvirt {
namespace {

using test::EventCollector;

const std::string node_uri = "test://" HOTSEAT_LIBVIRT_TEST_DATA "/node.xml";
constexpr const char* kVm = "already-running";

class TuningTest : public ::testing::Test {
protected:
    void SetUp() override {
        hypervisor = std::make_unique<Hypervisor>(node_uri, std::vector<std::string>{kVm});
        events = std::make_unique<EventCollector>(*hypervisor);
        hypervisor->start();
        auto connection = events->take<LibvirtConnection>();
        ASSERT_TRUE(connection && connection->connected);
        ASSERT_TRUE(events->take<DomainSnapshot>());
    }

    TuneResult result_of(TuneOp op) {
        auto result = events->take<TuneResult>([&](const TuneResult& r) { return r.op == op; });
        EXPECT_TRUE(result) << "no TuneResult";
        TuneResult none;
        none.error = "(none arrived)";
        return result.value_or(none);
    }

    std::unique_ptr<Hypervisor> hypervisor;
    std::unique_ptr<EventCollector> events;
};

TEST_F(TuningTest, BalloonShrinksToAPercentageOfMaximumAndComesBack) {
    hypervisor->execute(SetBalloon{kVm, 50});
    auto shrink = result_of(TuneOp::Balloon);
    ASSERT_TRUE(shrink.ok) << shrink.error;
    EXPECT_EQ(shrink.previous, 512 * 1024);  // KiB before the call: the full 512 MiB

    hypervisor->execute(SetBalloon{kVm, 100});
    auto grow = result_of(TuneOp::Balloon);
    ASSERT_TRUE(grow.ok) << grow.error;
    EXPECT_EQ(grow.previous, 256 * 1024);  // the first call really took effect
}

TEST_F(TuningTest, SuspendAndResumeReallyChangeTheDomain) {
    hypervisor->execute(SuspendDomain{kVm});
    auto suspend = result_of(TuneOp::Suspend);
    EXPECT_TRUE(suspend.ok) << suspend.error;
    // Already paused: libvirt refuses a second suspend, so the first one happened.
    hypervisor->execute(SuspendDomain{kVm});
    EXPECT_FALSE(result_of(TuneOp::Suspend).ok);

    hypervisor->execute(ResumeDomain{kVm});
    auto resume = result_of(TuneOp::Resume);
    EXPECT_TRUE(resume.ok) << resume.error;
    hypervisor->execute(ResumeDomain{kVm});
    auto again = result_of(TuneOp::Resume);
    EXPECT_FALSE(again.ok);
    EXPECT_NE(again.error, "");
}

TEST_F(TuningTest, SchedulerParametersTheDriverLacksFailWithLibvirtsMessage) {
    hypervisor->execute(SetCpuWeight{kVm, 50});
    auto weight = result_of(TuneOp::CpuWeight);
    EXPECT_FALSE(weight.ok);
    EXPECT_NE(weight.error, "");  // libvirt 9.0's test driver: "unsupported flags (0x1) ..."
    EXPECT_FALSE(weight.previous.has_value()) << "the driver has no cpu_shares to report";

    hypervisor->execute(SetVcpuQuota{kVm, 50000, 100000});
    auto quota = result_of(TuneOp::VcpuQuota);
    EXPECT_FALSE(quota.ok);
    EXPECT_NE(quota.error, "");
    // The connection survives a refused call: the next one works.
    hypervisor->execute(SetBalloon{kVm, 100});
    EXPECT_TRUE(result_of(TuneOp::Balloon).ok);
}

TEST_F(TuningTest, UnknownDomainFailsCleanly) {
    hypervisor->execute(SuspendDomain{"no-such-domain"});
    auto result = result_of(TuneOp::Suspend);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.vm, "no-such-domain");
    EXPECT_NE(result.error.find("not found"), std::string::npos) << result.error;
}

TEST(TuningDisconnected, CallsFailAtOnceWhileLibvirtIsUnreachable) {
    Hypervisor hypervisor("test:///nonexistent.xml", {kVm});
    EventCollector events(hypervisor);
    hypervisor.start();
    auto connection = events.take<LibvirtConnection>();
    ASSERT_TRUE(connection);
    ASSERT_FALSE(connection->connected);
    hypervisor.execute(SetCpuWeight{kVm, 10});
    auto result = events.take<TuneResult>();
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->ok);
    EXPECT_NE(result->error.find("not connected to libvirt"), std::string::npos) << result->error;
}

}  // namespace
}  // namespace hotseat::libvirt
