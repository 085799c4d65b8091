// USB passthrough (docs/design.md "Hardware facts" 1, 7): a [[vm]].usb device is attached live while its VM
// runs — the ones present when it starts, and any plugged later once udev reports it bound (never on
// `add`, which races udev). The usb_device's own `remove` detaches it; its input node going away
// meanwhile is not an unplug. Devices lists what is attached now; a VM that stops releases all.
#include "core/usb_passthrough.h"

#include <vector>

#include "core/effects_util.h"
#include "core/usb_device.h"
#include "core/vm_machine.h"

namespace hotseat {

using fx::debug;
using fx::info;
using fx::warning;

namespace {

// Attachments live only as long as the QEMU they were made to. A VM that is starting again (a
// queued start right after a stop, within one event) runs a new QEMU that has none of them; a
// guest asleep in RAM, or being woken, keeps them (new ones wait until it runs).
bool keeps_attachments(VmState state) {
    return state == VmState::Running || state == VmState::Stopping || state == VmState::Suspended;
}

bool wants(const VmConfig& vm, const UsbHostDevice& device) {
    for (const auto& match : vm.usb)
        if (usb_matches(match, device)) return true;
    return false;
}

}  // namespace

Effects UsbPassthrough::on_device(const DeviceEvent& ev) {
    if (!is_usb_device(ev.properties)) return {};
    if (ev.kind == DeviceEvent::Kind::Added) {
        auto parsed = parse_usb_host_device(ev.properties);
        if (!parsed.device)
            return {debug("USB device " + ev.syspath + " is not considered for passthrough: " + parsed.why)};
        // Not ready yet: the attach waits for udev's `bind` (a scan reports that as well).
        present_[ev.syspath] = Present{*parsed.device, false};
        return {debug(describe(*parsed.device) + " appeared at " + ev.syspath + "; ready once its driver binds")};
    }
    present_.erase(ev.syspath);
    Effects out;
    for (auto& [vm, attached] : attachments_) {
        auto it = attached.find(ev.syspath);
        if (it == attached.end()) continue;
        Attachment& a = it->second;
        switch (a.phase) {
            case Attachment::Phase::Attached:
                a.phase = Attachment::Phase::Detaching;
                out.push_back(info(vm + ": " + describe(a.device) + " was unplugged: detaching it"));
                out.push_back(DetachUsb{vm, ev.syspath, a.device});
                break;
            case Attachment::Phase::Attaching: a.gone = true; break;
            case Attachment::Phase::Failed: attached.erase(it); break;
            case Attachment::Phase::Detaching: break;
        }
    }
    return out;
}

Effects UsbPassthrough::on_binding(const UsbDeviceBinding& ev) {
    if (!ev.bound) {
        auto it = present_.find(ev.syspath);
        if (it != present_.end()) it->second.bound = false;
        return {};
    }
    // A `bind` carries every property; it also stands for an `add` that was not seen.
    auto parsed = parse_usb_host_device(ev.properties);
    if (!parsed.device)
        return {debug("USB device " + ev.syspath + " is not considered for passthrough: " + parsed.why)};
    present_[ev.syspath] = Present{*parsed.device, true};
    return {};
}

Effects UsbPassthrough::on_result(const UsbOpResult& ev, VmMachine* m, bool libvirt_connected) {
    auto vm_it = attachments_.find(ev.vm);
    const std::string what = describe(ev.device);
    if (vm_it == attachments_.end() || !m) return {debug(ev.vm + ": late result for " + what + " ignored")};
    auto it = vm_it->second.find(ev.syspath);
    if (it == vm_it->second.end() || it->second.device != ev.device)
        return {debug(ev.vm + ": late result for " + what + " ignored")};
    Attachment& a = it->second;
    if (ev.op == UsbOp::Detach) {
        vm_it->second.erase(it);
        if (ev.ok) return {info(ev.vm + ": " + what + " detached")};
        return {
            info(ev.vm + ": " + what + " is gone; libvirt could not detach it (" + ev.error + "), noted as detached")};
    }
    if (!ev.ok && !libvirt_connected) {
        // Lost with the connection, not refused: tried again once libvirt is back.
        vm_it->second.erase(it);
        return {info(ev.vm + ": attaching " + what + " failed with the libvirt connection (" + ev.error +
                     "); trying again once libvirt is back")};
    }
    if (!ev.ok) {
        m->note_error(what + ": attach failed: " + ev.error);
        Effects out{warning(ev.vm + ": " + m->status().last_error + " (the VM keeps running)")};
        if (a.gone)
            vm_it->second.erase(it);
        else
            a.phase = Attachment::Phase::Failed;
        return out;
    }
    if (a.gone) {
        a.phase = Attachment::Phase::Detaching;
        return {info(ev.vm + ": " + what + " was unplugged while it was being attached: detaching it"),
                DetachUsb{ev.vm, ev.syspath, ev.device}};
    }
    a.phase = Attachment::Phase::Attached;
    return {info(ev.vm + ": " + what + " attached")};
}

Effects UsbPassthrough::reconcile(Machines& machines, bool libvirt_connected) {
    Effects out;
    std::erase_if(attachments_, [&](const auto& entry) { return find_machine(machines, entry.first) == nullptr; });
    for (auto& m : machines) {
        const std::string& name = m->config().name;
        auto& attached = attachments_[name];
        VmState state = m->status().state;
        if (!keeps_attachments(state) && !m->waking() && !attached.empty()) {
            out.push_back(debug(name + ": released its USB devices with the VM"));
            attached.clear();
        }
        if (state == VmState::Running && libvirt_connected) attach_wanted(*m, attached, out);
        std::vector<std::string> devices;
        for (const auto& [syspath, a] : attached)
            if (a.phase == Attachment::Phase::Attached) devices.push_back(describe(a.device));
        m->set_devices(std::move(devices));
    }
    return out;
}

void UsbPassthrough::attach_wanted(VmMachine& m, Attachments& attached, Effects& out) {
    const std::string& name = m.config().name;
    for (const auto& [syspath, present] : present_) {
        if (!present.bound || attached.count(syspath) || !wants(m.config(), present.device)) continue;
        if (const std::string* vm = holder(syspath)) {
            out.push_back(debug(name + ": " + describe(present.device) + " is held by " + *vm));
            continue;
        }
        attached[syspath] = Attachment{present.device, Attachment::Phase::Attaching, false};
        out.push_back(info(name + ": attaching " + describe(present.device)));
        out.push_back(AttachUsb{name, syspath, present.device});
    }
}

const std::string* UsbPassthrough::holder(const std::string& syspath) const {
    for (const auto& [vm, attached] : attachments_) {
        auto it = attached.find(syspath);
        if (it != attached.end() && it->second.phase != Attachment::Phase::Failed) return &vm;
    }
    return nullptr;
}

}  // namespace hotseat
