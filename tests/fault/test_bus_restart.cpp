// Fault: the system bus daemon goes away under hotseatd (dbus-daemon crash or restart).
// sdbus-c++ cannot reconnect a connection, and a daemon without its bus name is invisible to
// every client, so hotseatd exits with EXIT_FAILURE (1) at once, saying why, without touching a
// VM; systemd's Restart=on-failure (not prevented: only 78 is) brings it back on the new bus,
// where it adopts the VMs' state from libvirt like after any restart (docs/robustness.md).
#include <gtest/gtest.h>

#include <iostream>

#include "daemon_process.h"
#include "private_bus.h"
#include "process.h"
#include "testbed.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

TEST(BusRestart, HotseatdExitsWithFailureSoSystemdRestartsIt) {
    TempDir dir;
    Testbed testbed;
    testbed.add_intel_igpu();
    const std::string config = dir.file("hotseat.toml");
    write_file(config,
               "[supervisor]\nlibvirt_uri = \"test://" HOTSEAT_SOURCE_DIR
               "/tests/data/libvirt/node.xml\"\n"
               "[[vm]]\nname = \"arch-desktop\"\n"
               "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"arch-desktop\"\n");
    auto bus = std::make_unique<PrivateBus>();
    DaemonProcess daemon({config, testbed.root(), bus->address(), dir.path(), {}});
    ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
    testbed.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(wait_until([&] { return vm_state(bus->address(), "arch_2ddesktop") == "running"; }));

    bus->stop();
    int status = daemon.process().wait(5s);
    EXPECT_EQ(status, 1) << "hotseatd must exit with a failure status (systemd's Restart=on-failure), not " << status
                         << "\n"
                         << daemon.log();
    EXPECT_NE(daemon.log().find("D-Bus connection failed"), std::string::npos) << daemon.log();
    ASSERT_TRUE(daemon.executed(StartDomain{"arch-desktop"})) << "the log does not name the effects it executes";
    EXPECT_FALSE(daemon.executed(DestroyDomain{"arch-desktop"})) << "a VM was touched on the way out";
    EXPECT_FALSE(daemon.executed(ShutdownDomain{"arch-desktop"})) << "a VM was touched on the way out";

    // The restarted bus and the daemon systemd restarts on it: back in service, state adopted.
    bus = std::make_unique<PrivateBus>();
    TempDir second;
    DaemonProcess again({config, testbed.root(), bus->address(), second.path(), {}});
    ASSERT_TRUE(again.wait_ready()) << again.log();
    // (libvirt's test driver lives inside hotseatd, so there is no running VM to adopt here; the
    // e2e fault tests adopt a real one.)
    EXPECT_EQ(vm_state(bus->address(), "arch_2ddesktop"), "off");
}

}  // namespace
}  // namespace hotseat::test
