// Reading the API from outside: properties, object paths, the object tree.
#include "dbus_fixture.h"

#include "dbus/bus_names.h"

namespace hotseat::test {
namespace {

TEST(VmObjectPath, EncodesNamesLikeSystemd) {
    EXPECT_EQ(dbus::vm_object_path("arch-desktop"), kArchPath);
    EXPECT_EQ(dbus::vm_object_path("win11"), kWinPath);
    EXPECT_EQ(dbus::vm_object_path(""), "/org/hotseat/Supervisor1/vm/_");
}

TEST_F(DbusServiceTest, ManagerPropertiesAreReadable) {
    auto version = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                           "org.hotseat.Supervisor1.Manager", "Version"});
    EXPECT_EQ(version.status, 0) << version.output;
    EXPECT_EQ(version.output, "s \"1.2.3-test\"\n");

    auto vms = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                       "org.hotseat.Supervisor1.Manager", "VMs"});
    EXPECT_EQ(vms.output, std::string("ao 2 \"") + kArchPath + "\" \"" + kWinPath + "\"\n");

    auto connected = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                             "org.hotseat.Supervisor1.Manager", "LibvirtConnected"});
    EXPECT_EQ(connected.output, "b false\n");
}

TEST_F(DbusServiceTest, VmPropertiesAreReadableAtTheEncodedPath) {
    VmStatus status;
    status.name = "arch-desktop";
    status.state = VmState::Running;
    status.reason = "desk-monitor";
    status.state_changed_at_us = 1700000000000000;
    status.devices = {"0000:00:02.0", "046d:c52b"};
    service_->publish(PublishVm{status});

    auto all = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Name",
                       "State", "Reason", "StateChangedAt", "Devices", "Step", "LastError"});
    EXPECT_EQ(all.status, 0) << all.output;
    EXPECT_EQ(all.output,
              "s \"arch-desktop\"\n"
              "s \"running\"\n"
              "s \"desk-monitor\"\n"
              "t 1700000000000000\n"
              "as 2 \"0000:00:02.0\" \"046d:c52b\"\n"
              "s \"\"\n"
              "s \"\"\n");
}

TEST_F(DbusServiceTest, MonitorsKeyboardsAndConfigAreReadable) {
    service_->publish(PublishMonitors{{{"HDMI-A-1", true}, {"DP-1", false}}});
    service_->publish_keyboards({{"/dev/input/event7", "Logitech USB Receiver"}});
    service_->set_config("/etc/hotseat/hotseat.toml", "hotseat.toml:3:1: unknown key foo");

    auto out = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                       "org.hotseat.Supervisor1.Manager", "Monitors", "Keyboards", "ConfigPath", "ConfigError"});
    EXPECT_EQ(out.output,
              "a(ss) 2 \"HDMI-A-1\" \"connected\" \"DP-1\" \"disconnected\"\n"
              "a(ss) 1 \"/dev/input/event7\" \"Logitech USB Receiver\"\n"
              "s \"/etc/hotseat/hotseat.toml\"\n"
              "s \"hotseat.toml:3:1: unknown key foo\"\n");
}

TEST_F(DbusServiceTest, GpusIsReadable) {
    auto empty = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                         "org.hotseat.Supervisor1.Manager", "Gpus"});
    EXPECT_EQ(empty.output, "a(sss) 0\n");
    service_->publish(PublishGpus{{{"0000:00:02.0", "vfio-pci", "arch-desktop"}, {"0000:01:00.0", "", ""}}});
    auto out = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                       "org.hotseat.Supervisor1.Manager", "Gpus"},
                      /*as_nobody=*/true);
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_EQ(out.output, "a(sss) 2 \"0000:00:02.0\" \"vfio-pci\" \"arch-desktop\" \"0000:01:00.0\" \"\" \"\"\n");
}

TEST_F(DbusServiceTest, AnyoneMayRead) {
    auto out = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "State"},
                      /*as_nobody=*/true);
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_EQ(out.output, "s \"off\"\n");

    auto all = busctl({"call", "org.hotseat.Supervisor1", kArchPath, "org.freedesktop.DBus.Properties", "GetAll", "s",
                       "org.hotseat.Supervisor1.VM"},
                      true);
    EXPECT_EQ(all.status, 0) << all.output;
    EXPECT_NE(all.output.find("\"Name\" s \"arch-desktop\""), std::string::npos) << all.output;

    auto list = busctl(
        {"call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager", "ListVMs"},
        true);
    EXPECT_EQ(list.status, 0) << list.output;
    EXPECT_EQ(list.output, std::string("a(sos) 2 \"arch-desktop\" \"") + kArchPath + "\" \"off\" \"win11\" \"" +
                               kWinPath + "\" \"off\"\n");

    auto introspect = busctl({"introspect", "org.hotseat.Supervisor1", kArchPath}, true);
    EXPECT_EQ(introspect.status, 0) << introspect.output;
    EXPECT_NE(introspect.output.find(".ForceStop"), std::string::npos) << introspect.output;

    auto ping = busctl(
        {"call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1", "org.freedesktop.DBus.Peer", "Ping"}, true);
    EXPECT_EQ(ping.status, 0) << ping.output;
}

TEST_F(DbusServiceTest, ObjectManagerListsTheVmObjects) {
    auto out = busctl({"call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                       "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"},
                      /*as_nobody=*/true);
    EXPECT_EQ(out.status, 0) << out.output;
    EXPECT_EQ(out.output.rfind("a{oa{sa{sv}}} 2 ", 0), 0u) << out.output;
    EXPECT_NE(out.output.find(std::string("\"") + kArchPath + "\""), std::string::npos) << out.output;
    EXPECT_NE(out.output.find(std::string("\"") + kWinPath + "\""), std::string::npos) << out.output;
    EXPECT_NE(out.output.find("\"org.hotseat.Supervisor1.VM\""), std::string::npos) << out.output;
}

TEST_F(DbusServiceTest, ChangingTheVmSetUpdatesTheTree) {
    service_->set_vms({"win11", "android"});
    settle_signals();

    auto removed = seen("InterfacesRemoved");
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].args, std::vector<std::string>{kArchPath});
    auto added = seen("InterfacesAdded");
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].args, std::vector<std::string>{"/org/hotseat/Supervisor1/vm/android"});

    auto vms = busctl({"get-property", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                       "org.hotseat.Supervisor1.Manager", "VMs"});
    EXPECT_EQ(vms.output, std::string("ao 2 \"") + kWinPath + "\" \"/org/hotseat/Supervisor1/vm/android\"\n");
    auto gone = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Name"});
    EXPECT_NE(gone.status, 0) << gone.output;
}

}  // namespace
}  // namespace hotseat::test
