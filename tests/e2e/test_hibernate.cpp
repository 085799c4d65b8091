// The desk keeps its session (docs/hibernate.md) on a real libvirtd: hibernation through QEMU's
// guest agent, its fallback to the ACPI shutdown, and a guest that suspended itself to RAM woken by
// a plug. The tiny guest's init plays the agent on the real virtio-serial port
// org.qemu.guest_agent.0 (scripts/build-e2e-guest, hotseat.agent=): it answers guest-sync and
// guest-ping as qemu-guest-agent does and powers itself off on guest-suspend-disk, as a guest does
// once its image is written, or reads everything and answers nothing.
#include "e2e_fixture.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

ScenarioOptions hibernating_vm(const std::string& agent_mode) {
    ScenarioOptions options;
    options.guest.agent_mode = agent_mode;
    // A timeout the tests never reach: the success and the fallback must not be the timeout's.
    options.vm_keys = "idle_timeout_min = 0\nstop_mode = \"hibernate\"\nhibernate_timeout_s = 120\n";
    return options;
}

// What a guest image built before hotseat.agent= and hotseat.selfsuspend= existed does: nothing.
const char* const kStaleImage =
    "\n(no marker: an image older than scripts/build-e2e-guest? run it, or scripts/setup, once)";

class Hibernate : public E2e {
protected:
    // libvirt's own word that a process in the guest holds the agent's port (the channel's state
    // in the live XML, from QEMU's VSERPORT_CHANGE): until then libvirt refuses agent commands.
    bool agent_port_held() const {
        return libvirt_->virsh({"dumpxml", kVm}).find("name='org.qemu.guest_agent.0' state='connected'") !=
               std::string::npos;
    }
    // Boots the guest and waits until libvirt knows its agent's port is held.
    void boot_with_agent(Stopwatch& watch) {
        ASSERT_NO_FATAL_FAILURE(plug_and_boot(watch));
        ASSERT_TRUE(serial_->wait_for(kGuestAgentReady, 1, 20s)) << serial_->text() << kStaleImage;
        EXPECT_EQ(serial_->text().find("port=none"), std::string::npos) << serial_->text();
        ASSERT_TRUE(wait_until([&] { return agent_port_held(); }, 20s)) << libvirt_->virsh({"dumpxml", kVm});
        watch.lap("guest-ready->agent-port-held");
    }
    // hotseatctl doctor's text: its guest-agent check asks the agent guest-ping through libvirt.
    std::string doctor() const {
        return run_capture({HOTSEATCTL_PATH, "doctor", "--config", config_}, nullptr,
                           {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}});
    }
    std::size_t heard(const std::string& command) const { return serial_->count(kGuestAgentHeard + command); }
    // Whether Step ever said "hibernating..." on the bus (PropertiesChanged, as busctl records it).
    bool step_said_hibernating() const {
        return recorder_->text().find("\"Step\":{\"type\":\"s\",\"data\":\"hibernating") != std::string::npos;
    }
};

// stop_mode = "hibernate" and an agent that answers: the unplug's stop rule hibernates the guest
// (libvirt sends guest-suspend-disk), the guest powers itself off, and Reason says it hibernated.
TEST_F(Hibernate, StopRuleHibernatesThroughTheGuestAgent) {
    Stopwatch watch("hibernate-agent-answers");
    ASSERT_NO_FATAL_FAILURE(start(hibernating_vm("answer")));
    watch.lap("setup");
    ASSERT_NO_FATAL_FAILURE(boot_with_agent(watch));
    const std::string report = doctor();
    EXPECT_NE(report.find("the guest agent answers guest-ping"), std::string::npos) << report;
    EXPECT_EQ(heard("guest-ping"), 1u) << serial_->text();
    watch.lap("doctor");

    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off", 30s)) << "State is " << state();
    watch.lap("unplug->off");
    EXPECT_EQ(reason(), "desk-unplug (hibernated)");
    EXPECT_TRUE(step_said_hibernating()) << recorder_->text();
    EXPECT_EQ(vm_property(bus_.address(), kVmPath, "LastError"), "");
    EXPECT_EQ(heard("guest-suspend-disk"), 1u) << serial_->text();
    EXPECT_EQ(serial_->count(kGuestHibernatePoweroff), 1u) << serial_->text();
    EXPECT_EQ(serial_->count(kGuestAcpiPoweroff), 0u) << "shut down instead of hibernating";
    EXPECT_TRUE(wait_until([&] { return libvirt_->qemu_pid(kVm) == 0; }, 5s)) << "QEMU is still there";
    watch.print();
}

// An agent that holds its port and never answers: libvirt's guest-sync times out, the hibernation
// fails, and hotseatd presses the ACPI button at once; Reason and LastError say so.
TEST_F(Hibernate, SilentAgentFallsBackToTheAcpiShutdown) {
    Stopwatch watch("hibernate-agent-silent");
    ASSERT_NO_FATAL_FAILURE(start(hibernating_vm("silent")));
    watch.lap("setup");
    ASSERT_NO_FATAL_FAILURE(boot_with_agent(watch));
    // libvirt waits for the agent's guest-sync 5 s, or the domain's agent timeout when shorter:
    // 1 s here, for the doctor's guest-ping and the hibernation alike.
    int status = -1;
    std::string said = libvirt_->virsh({"guest-agent-timeout", kVm, "--timeout", "1"}, &status);
    ASSERT_EQ(status, 0) << said;
    const std::string report = doctor();
    EXPECT_NE(report.find("the guest agent does not answer guest-ping"), std::string::npos) << report;
    watch.lap("doctor");

    run_capture({HOTSEATCTL_PATH, "stop", kVm, "--hibernate"}, &status, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}});
    EXPECT_EQ(status, 0);
    ASSERT_TRUE(state_becomes("off", 30s)) << "State is " << state();
    watch.lap("hibernate->off");
    EXPECT_TRUE(step_said_hibernating()) << recorder_->text();
    EXPECT_EQ(reason(), "dbus:Hibernate uid=0 (hibernate failed: shut down instead)");
    EXPECT_NE(vm_property(bus_.address(), kVmPath, "LastError").find("hibernate failed: "), std::string::npos)
        << vm_property(bus_.address(), kVmPath, "LastError");
    EXPECT_GE(heard("guest-sync"), 2u) << "the doctor's and the hibernation's sync\n" << serial_->text();
    EXPECT_EQ(heard("guest-suspend-disk"), 0u) << serial_->text();
    EXPECT_EQ(serial_->count(kGuestAcpiPoweroff), 1u) << "not the ACPI shutdown\n" << serial_->text();
    watch.print();
}

// A guest that suspends itself to RAM (S3 under TCG: QEMU's SUSPEND, libvirt's PMSUSPENDED) is
// `suspended`, the same QEMU still there; a plug wakes it (virDomainPMWakeup) into the same
// session, no second boot; the unplug then shuts the woken guest down by ACPI.
TEST_F(Hibernate, SuspendedGuestIsWokenByAPlug) {
    Stopwatch watch("suspend-ram-wake-by-plug");
    ScenarioOptions options;
    options.guest.suspend_to_mem = true;
    options.guest.self_suspend_s = 1;
    ASSERT_NO_FATAL_FAILURE(start(options));
    watch.lap("setup");
    int status = -1;
    run_capture({HOTSEATCTL_PATH, "start", kVm}, &status, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}});
    EXPECT_EQ(status, 0);
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    ASSERT_TRUE(serial_->wait_for(kGuestReady, 1, 30s)) << "the guest never got ready";
    const pid_t qemu = libvirt_->qemu_pid(kVm);
    ASSERT_NE(qemu, 0);
    watch.lap("start->guest-ready");

    ASSERT_TRUE(serial_->wait_for(kGuestSuspendRam, 1, 20s)) << serial_->text() << kStaleImage;
    ASSERT_TRUE(state_becomes("suspended", 20s)) << "State is " << state() << "\n" << serial_->text();
    watch.lap("ready->suspended");
    EXPECT_EQ(reason(), "guest");
    EXPECT_EQ(libvirt_->qemu_pid(kVm), qemu);
    EXPECT_EQ(serial_->count(kGuestResumed), 0u) << serial_->text();

    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running", 20s)) << "State is " << state() << "\n" << daemon_->log();
    watch.lap("plug->running");
    EXPECT_EQ(reason(), "desk-monitor");
    ASSERT_TRUE(serial_->wait_for(kGuestResumed, 1, 20s)) << serial_->text();
    watch.lap("running->guest-resumed");
    EXPECT_EQ(libvirt_->qemu_pid(kVm), qemu) << "not the same QEMU";
    EXPECT_EQ(serial_->count(kGuestReady), 1u) << "the guest booted again instead of waking";
    EXPECT_EQ(serial_->count(kGuestWarning), 0u) << serial_->text();

    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off", 20s)) << "State is " << state();
    watch.lap("unplug->off");
    EXPECT_EQ(reason(), "desk-unplug");
    EXPECT_EQ(serial_->count(kGuestAcpiPoweroff), 1u) << "the woken guest did not hear the power button";
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
