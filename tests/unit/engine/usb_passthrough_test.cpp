// UsbPassthrough on its own, without the Engine (core/usb_passthrough.h): handed the VMs on each
// call, it attaches a ready device to the running VM that wants it, never to two VMs at once, and
// hands it on when the holder stops. The scenarios (usb-*.scenario) test it through the engine.
#include <gtest/gtest.h>

#include "core/usb_passthrough.h"
#include "core/vm_machine.h"

namespace hotseat {
namespace {

const std::string kSyspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2";

std::map<std::string, std::string> receiver() {
    return {{"SUBSYSTEM", "usb"},    {"DEVTYPE", "usb_device"}, {"ID_VENDOR_ID", "046d"},
            {"ID_MODEL_ID", "c52b"}, {"BUSNUM", "001"},         {"DEVNUM", "005"}};
}

Machines vms_wanting_the_receiver(const std::vector<std::string>& names) {
    Machines machines;
    for (const auto& name : names) {
        VmConfig vm;
        vm.name = name;
        UsbDeviceMatch receiver;
        receiver.vendor = "046d";
        receiver.product = "c52b";
        vm.usb.push_back(receiver);
        machines.push_back(std::make_unique<VmMachine>(vm));
    }
    return machines;
}

UsbDeviceBinding bound() {
    UsbDeviceBinding binding;
    binding.bound = true;
    binding.syspath = kSyspath;
    binding.properties = receiver();
    return binding;
}

void set_running(VmMachine& vm, bool running) {
    DomainSnapshot snapshot;
    snapshot.vm = vm.config().name;
    snapshot.exists = true;
    snapshot.state = running ? DomainRunState::Running : DomainRunState::Off;
    vm.on_snapshot(snapshot, Now{});
}

// The VMs the effects attach the device to, in order.
std::vector<std::string> attached_to(const Effects& effects) {
    std::vector<std::string> vms;
    for (const auto& e : effects)
        if (const auto* attach = std::get_if<AttachUsb>(&e)) vms.push_back(attach->vm + " " + attach->syspath);
    return vms;
}

TEST(UsbPassthrough, AttachesOnlyOnceTheDeviceIsBoundAndLibvirtIsThere) {
    Machines machines = vms_wanting_the_receiver({"desk"});
    set_running(*machines[0], true);
    UsbPassthrough usb;
    DeviceEvent added;
    added.kind = DeviceEvent::Kind::Added;
    added.syspath = kSyspath;
    added.properties = receiver();
    usb.on_device(added);
    EXPECT_TRUE(attached_to(usb.reconcile(machines, true)).empty()) << "attached on `add`, before udev bound it";
    usb.on_binding(bound());
    EXPECT_TRUE(attached_to(usb.reconcile(machines, false)).empty()) << "attached without libvirt";
    EXPECT_EQ(attached_to(usb.reconcile(machines, true)), std::vector<std::string>{"desk " + kSyspath});
    EXPECT_TRUE(attached_to(usb.reconcile(machines, true)).empty()) << "attached twice";
    EXPECT_TRUE(machines[0]->status().devices.empty()) << "listed in Devices before libvirt said it is attached";
    UsbOpResult attached;
    attached.vm = "desk";
    attached.op = UsbOp::Attach;
    attached.syspath = kSyspath;
    attached.device = UsbHostDevice{"046d", "c52b", "", 1, 5};
    attached.ok = true;
    usb.on_result(attached, machines[0].get(), true);
    usb.reconcile(machines, true);
    EXPECT_EQ(machines[0]->status().devices, std::vector<std::string>{"usb 046d:c52b bus 1 dev 5"});
}

TEST(UsbPassthrough, ADeviceHeldByOneVmGoesToAnotherOnlyOnceTheHolderStops) {
    Machines machines = vms_wanting_the_receiver({"desk", "lab"});
    set_running(*machines[0], true);
    set_running(*machines[1], true);
    UsbPassthrough usb;
    usb.on_binding(bound());
    EXPECT_EQ(attached_to(usb.reconcile(machines, true)), std::vector<std::string>{"desk " + kSyspath});
    EXPECT_TRUE(attached_to(usb.reconcile(machines, true)).empty()) << "lab took a device desk holds";
    set_running(*machines[0], false);
    EXPECT_EQ(attached_to(usb.reconcile(machines, true)), std::vector<std::string>{"lab " + kSyspath});
}

}  // namespace
}  // namespace hotseat
