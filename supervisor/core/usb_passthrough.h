// USB passthrough (docs/design.md "USB devices and passthrough", docs/usb-passthrough.md): the
// usb_devices present on the host (and whether their driver is bound, i.e. they are ready), and
// per VM the devices attached or on their way. A collaborator of the engine like the governor:
// pure, handed the VMs on each call, returning effects (AttachUsb, DetachUsb, log lines) and
// writing each VM's Devices.
#pragma once

#include <map>
#include <string>

#include "core/machines.h"
#include "hotseat/effects.h"
#include "hotseat/events.h"

namespace hotseat {

class UsbPassthrough {
public:
    // A uevent of any device: a usb_device's `add` is noted (not ready until its driver binds),
    // its `remove` detaches it from whichever VM has it; anything else is none of its business.
    Effects on_device(const DeviceEvent& ev);
    Effects on_binding(const UsbDeviceBinding& ev);
    // libvirt's answer to an AttachUsb or DetachUsb for `machine` (null: no longer configured).
    // An attach lost with the connection is tried again once `libvirt_connected`.
    Effects on_result(const UsbOpResult& ev, VmMachine* machine, bool libvirt_connected);
    // After every event: a running VM gets every ready device it wants that no other VM holds; a
    // VM without QEMU holds nothing; each VM's Devices follows.
    Effects reconcile(Machines& machines, bool libvirt_connected);

private:
    struct Present {
        UsbHostDevice device;
        bool bound = false;  // udev `bind` seen (or found bound): ready to pass through
    };
    struct Attachment {
        enum class Phase { Attaching, Attached, Failed, Detaching };
        UsbHostDevice device;
        Phase phase = Phase::Attaching;
        bool gone = false;  // unplugged while the attach was in flight: detach once it reports
    };
    using Attachments = std::map<std::string, Attachment>;  // syspath → attachment

    void attach_wanted(VmMachine& vm, Attachments& attached, Effects& out);
    // The VM that has `syspath` attached or on its way; null: none.
    const std::string* holder(const std::string& syspath) const;

    std::map<std::string, Present> present_;  // syspath → device
    // VM name → its attachments. Failed entries stay until the device or the VM goes, so a
    // failing attach is not retried in a loop; a replug or the next start tries again.
    std::map<std::string, Attachments> attachments_;
};

}  // namespace hotseat
