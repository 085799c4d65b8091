// Manager.Gpus through hotseatd (docs/design.md "GPUs and the release record"): the test plays the kernel
// (the iGPU's driver link repointed, DRIVER set, then `bind` or `unbind`, as libvirt's managed hand-over
// makes the kernel do) and hotseat-hook (the release record it leaves in the runtime directory after
// `release end`). hotseatd reads the driver itself at every uevent and the record once the VM
// has stopped; what it publishes is read back over the private bus.
#include <gtest/gtest.h>

#include <filesystem>

#include "hotseatd_test.h"

namespace hotseat::test {
namespace {

const std::string kVm = "arch_2ddesktop";  // sd_bus_path_encode("arch-desktop")

class GpusDaemon : public HotseatdTest {
protected:
    void SetUp() override {
        testbed_.add_intel_igpu();  // on i915, as at boot
        write_config(supervisor_section() +
                     "debounce_ms = 200\n\n"
                     "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\nshutdown_timeout_s = 5\n\n"
                     "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\nconnector = \"HDMI-A-1\"\n"
                     "action = \"start\"\nvm = \"arch-desktop\"\n\n"
                     "[[rule]]\nname = \"desk-unplug\"\non = \"monitor.disconnected\"\nconnector = \"HDMI-A-1\"\n"
                     "action = \"stop\"\nvm = \"arch-desktop\"\n");
        std::filesystem::create_directory(runtime_dir());
    }

    std::string runtime_dir() const { return dir_.file("run"); }  // DaemonProcess's HOTSEAT_RUNTIME_DIR

    // busctl's text for a(sss): the count, then each field quoted.
    std::string gpus() const { return manager_property(bus_.address(), "Gpus"); }
    bool gpus_become(const std::string& text) {
        return wait_until([&] { return gpus() == text; });
    }
    bool state_becomes(const std::string& state) { return HotseatdTest::state_becomes(kVm, state); }

    // What hotseat-hook writes at `release end` (include/hotseat/release_record.h).
    void hook_records(const std::string& driver, bool console) {
        write_file(runtime_dir() + "/arch-desktop.release", "hotseat-release 1\ngpu 0000:00:02.0 " + driver +
                                                                "\nconsole " + (console ? "bound" : "unbound") + "\n");
    }
};

TEST_F(GpusDaemon, DriverAndHolderFollowTheKernelAndTheVm) {
    start_daemon();
    EXPECT_EQ(gpus(), "1 \"0000:00:02.0\" \"i915\" \"\"");

    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running"));
    EXPECT_TRUE(gpus_become("1 \"0000:00:02.0\" \"i915\" \"arch-desktop\"")) << gpus();
    // libvirt hands the device to vfio-pci: unbind from i915, bind to vfio-pci.
    testbed_.set_igpu_driver("");
    EXPECT_TRUE(gpus_become("1 \"0000:00:02.0\" \"\" \"arch-desktop\"")) << gpus();
    testbed_.set_igpu_driver("vfio-pci");
    EXPECT_TRUE(gpus_become("1 \"0000:00:02.0\" \"vfio-pci\" \"arch-desktop\"")) << gpus();

    hook_records("i915", true);
    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off"));
    EXPECT_TRUE(gpus_become("1 \"0000:00:02.0\" \"vfio-pci\" \"\"")) << gpus();
    testbed_.set_igpu_driver("");
    testbed_.set_igpu_driver("i915");
    EXPECT_TRUE(gpus_become("1 \"0000:00:02.0\" \"i915\" \"\"")) << gpus();
    EXPECT_EQ(vm_property(bus_.address(), kVm, "LastError"), "") << "the record said i915";
    EXPECT_NE(daemon_->log().find("after its release 0000:00:02.0 on i915, frame-buffer console bound"),
              std::string::npos);
}

TEST_F(GpusDaemon, GpuNotBackAfterTheStopIsAWarningInLastError) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running"));
    testbed_.set_igpu_driver("vfio-pci");
    ASSERT_TRUE(gpus_become("1 \"0000:00:02.0\" \"vfio-pci\" \"arch-desktop\"")) << gpus();

    hook_records("vfio-pci", false);  // libvirt could not give it back to i915
    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off"));
    EXPECT_TRUE(wait_until([&] { return !vm_property(bus_.address(), kVm, "LastError").empty(); }));
    EXPECT_EQ(vm_property(bus_.address(), kVm, "LastError"),
              "warning: GPU 0000:00:02.0 did not come back to its host driver i915 (bound to vfio-pci); the "
              "host has no frame-buffer console");
    EXPECT_EQ(gpus(), "1 \"0000:00:02.0\" \"vfio-pci\" \"\"");
}

TEST_F(GpusDaemon, ADamagedOrPlantedRecordIsIgnored) {
    start_daemon();
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running"));
    write_file(dir_.file("elsewhere"), "hotseat-release 1\ngpu 0000:00:02.0 vfio-pci\nconsole unbound\n");
    std::filesystem::create_symlink(dir_.file("elsewhere"), runtime_dir() + "/arch-desktop.release");
    testbed_.unplug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("off"));
    EXPECT_TRUE(wait_until([&] { return daemon_->log().find("cannot open the release record") != std::string::npos; }))
        << "a symlink is not followed";
    EXPECT_EQ(vm_property(bus_.address(), kVm, "LastError"), "");
}

}  // namespace
}  // namespace hotseat::test
