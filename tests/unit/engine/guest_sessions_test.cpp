// GuestSessions on its own, without the Engine (core/guest_sessions.h): what a guest reports and
// a VM's idleness fire rules only through the FireRules callback the engine hands it, and only for
// the guest's own VM. The scenarios (guest-*.scenario) test it through the engine.
#include <gtest/gtest.h>

#include "core/guest_sessions.h"
#include "core/rules.h"
#include "core/vm_machine.h"

namespace hotseat {
namespace {

// The engine's side of the callback: the observations it was asked to fire rules for, in words.
struct Fired {
    std::vector<std::string> observations;
    GuestSessions::FireRules callback() {
        return [this](const Observation& o, Now) {
            observations.push_back(o.describe());
            return Effects{};
        };
    }
};

Machines running_vm(VmConfig vm) {
    Machines machines;
    machines.push_back(std::make_unique<VmMachine>(vm));
    DomainSnapshot running;
    running.vm = vm.name;
    running.exists = true;
    running.state = DomainRunState::Running;
    machines[0]->on_snapshot(running, Now{});
    return machines;
}

template <typename T>
int count(const Effects& effects) {
    int n = 0;
    for (const auto& e : effects) n += std::holds_alternative<T>(e) ? 1 : 0;
    return n;
}

Now at(std::int64_t ms) { return Now{ms, 0}; }

GuestConnector hdmi(const std::string& vm, bool connected, bool initial) {
    return GuestConnector{vm, "card0", "HDMI-A-1", connected, initial};
}

CpuSample cpu(std::uint64_t cpu_time_ns) { return CpuSample{"desk", true, cpu_time_ns, 1, ""}; }

TEST(GuestSessions, AGuestsConnectorChangeFiresThroughTheEnginesCallbackOnly) {
    VmConfig desk;
    desk.name = "desk";
    desk.guest_channel = true;
    Machines machines = running_vm(desk);
    Fired fired;
    GuestSessions guests({}, fired.callback());
    EXPECT_EQ(count<FindGuestChannel>(guests.follow(machines, true, at(0))), 1);
    guests.on(GuestHello{"desk", 2, "1.0"}, machines, at(0));
    guests.on(hdmi("desk", true, true), machines, at(0));
    EXPECT_TRUE(fired.observations.empty()) << "a connector found at the helper's start fired a rule";
    guests.on(hdmi("desk", false, false), machines, at(100));
    guests.on(hdmi("lab", false, false), machines, at(200));  // no such running VM: nothing
    EXPECT_EQ(fired.observations, std::vector<std::string>{"monitor.disconnected HDMI-A-1 (guest desk)"});
    const GuestVm* seen = guests.find("desk");
    ASSERT_NE(seen, nullptr);
    EXPECT_EQ(seen->connectors.at("card0-HDMI-A-1"), false);
}

TEST(GuestSessions, AnIdleVmFiresVmIdleThroughTheEngineAtItsOwnDeadline) {
    VmConfig desk;
    desk.name = "desk";
    desk.idle_timeout_s = 10;
    desk.idle_cpu_percent = 3;
    Machines machines = running_vm(desk);
    Rule idle;
    idle.name = "idle-off";
    idle.on = Trigger::VmIdle;
    idle.vm = "desk";
    idle.action = Action::Stop;
    Fired fired;
    GuestSessions guests({idle}, fired.callback());
    guests.follow(machines, true, at(0));
    EXPECT_EQ(count<SampleCpu>(guests.on_tick(at(0))), 1);
    guests.on(cpu(0), machines, at(0));
    ASSERT_EQ(guests.deadline().value_or(-1), 2500) << "the next sample: a quarter of the idle timeout";
    EXPECT_EQ(count<SampleCpu>(guests.on_tick(at(2500))), 1);
    guests.on(cpu(1'000'000), machines, at(2500));  // 0.04 % of one vCPU: quiet
    EXPECT_TRUE(fired.observations.empty()) << "idle before its timeout";
    guests.on_tick(at(9999));
    EXPECT_TRUE(fired.observations.empty()) << "idle before its timeout";
    guests.on_tick(at(10'000));
    EXPECT_EQ(fired.observations, std::vector<std::string>{"vm.idle desk"});
}

}  // namespace
}  // namespace hotseat
