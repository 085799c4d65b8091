// USB passthrough (docs/design.md "Hardware facts" 1, 7): a [[vm]].usb device is attached live while its VM
// runs — the ones present when it starts, and any plugged later once udev reports it bound (never on
// `add`, which races udev). The usb_device's own `remove` detaches it; its input node going away
// meanwhile is not an unplug. Devices lists what is attached now; a VM that stops releases all.
#include "core/effects_util.h"
#include "core/usb_device.h"
#include "core/usb_state.h"
#include "core/vm_machine.h"
#include "hotseat/engine.h"

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

Effects Engine::on_usb_device(const DeviceEvent& ev) {
    if (!is_usb_device(ev.properties)) return {};
    if (ev.kind == DeviceEvent::Kind::Added) {
        auto parsed = parse_usb_host_device(ev.properties);
        if (!parsed.device)
            return {debug("USB device " + ev.syspath + " is not considered for passthrough: " + parsed.why)};
        // Not ready yet: the attach waits for udev's `bind` (a scan reports that as well).
        usb_->present[ev.syspath] = UsbPresent{*parsed.device, false};
        return {debug(describe(*parsed.device) + " appeared at " + ev.syspath + "; ready once its driver binds")};
    }
    usb_->present.erase(ev.syspath);
    Effects out;
    for (auto& [vm, attached] : usb_->attachments) {
        auto it = attached.find(ev.syspath);
        if (it == attached.end()) continue;
        UsbAttachment& a = it->second;
        switch (a.phase) {
            case UsbAttachment::Phase::Attached:
                a.phase = UsbAttachment::Phase::Detaching;
                out.push_back(info(vm + ": " + describe(a.device) + " was unplugged: detaching it"));
                out.push_back(DetachUsb{vm, ev.syspath, a.device});
                break;
            case UsbAttachment::Phase::Attaching: a.gone = true; break;
            case UsbAttachment::Phase::Failed: attached.erase(it); break;
            case UsbAttachment::Phase::Detaching: break;
        }
    }
    return out;
}

Effects Engine::on_usb_binding(const UsbDeviceBinding& ev) {
    if (!ev.bound) {
        auto it = usb_->present.find(ev.syspath);
        if (it != usb_->present.end()) it->second.bound = false;
        return {};
    }
    // A `bind` carries every property; it also stands for an `add` that was not seen.
    auto parsed = parse_usb_host_device(ev.properties);
    if (!parsed.device)
        return {debug("USB device " + ev.syspath + " is not considered for passthrough: " + parsed.why)};
    usb_->present[ev.syspath] = UsbPresent{*parsed.device, true};
    return {};
}

Effects Engine::on_usb_result(const UsbOpResult& ev) {
    auto vm_it = usb_->attachments.find(ev.vm);
    VmMachine* m = machine(ev.vm);
    const std::string what = describe(ev.device);
    if (vm_it == usb_->attachments.end() || !m) return {debug(ev.vm + ": late result for " + what + " ignored")};
    auto it = vm_it->second.find(ev.syspath);
    if (it == vm_it->second.end() || it->second.device != ev.device)
        return {debug(ev.vm + ": late result for " + what + " ignored")};
    UsbAttachment& a = it->second;
    if (ev.op == UsbOp::Detach) {
        vm_it->second.erase(it);
        if (ev.ok) return {info(ev.vm + ": " + what + " detached")};
        return {
            info(ev.vm + ": " + what + " is gone; libvirt could not detach it (" + ev.error + "), noted as detached")};
    }
    if (!ev.ok && !libvirt_connected_) {
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
            a.phase = UsbAttachment::Phase::Failed;
        return out;
    }
    if (a.gone) {
        a.phase = UsbAttachment::Phase::Detaching;
        return {info(ev.vm + ": " + what + " was unplugged while it was being attached: detaching it"),
                DetachUsb{ev.vm, ev.syspath, ev.device}};
    }
    a.phase = UsbAttachment::Phase::Attached;
    return {info(ev.vm + ": " + what + " attached")};
}

// After every event: a running VM gets every ready device it wants that no other VM holds; a VM
// without QEMU holds nothing; Devices follows.
void Engine::reconcile_usb(Effects& out) {
    std::erase_if(usb_->attachments, [&](const auto& entry) { return machine(entry.first) == nullptr; });
    for (auto& m : machines_) {
        const std::string& name = m->config().name;
        auto& attached = usb_->attachments[name];
        VmState state = m->status().state;
        if (!keeps_attachments(state) && !m->waking() && !attached.empty()) {
            out.push_back(debug(name + ": released its USB devices with the VM"));
            attached.clear();
        }
        if (state == VmState::Running && libvirt_connected_) attach_wanted(*m, attached, out);
        std::vector<std::string> devices;
        for (const auto& [syspath, a] : attached)
            if (a.phase == UsbAttachment::Phase::Attached) devices.push_back(describe(a.device));
        m->set_devices(std::move(devices));
    }
}

void Engine::attach_wanted(VmMachine& m, std::map<std::string, UsbAttachment>& attached, Effects& out) {
    const std::string& name = m.config().name;
    for (const auto& [syspath, present] : usb_->present) {
        if (!present.bound || attached.count(syspath) || !wants(m.config(), present.device)) continue;
        if (const std::string* holder = usb_holder(syspath)) {
            out.push_back(debug(name + ": " + describe(present.device) + " is held by " + *holder));
            continue;
        }
        attached[syspath] = UsbAttachment{present.device, UsbAttachment::Phase::Attaching, false};
        out.push_back(info(name + ": attaching " + describe(present.device)));
        out.push_back(AttachUsb{name, syspath, present.device});
    }
}

const std::string* Engine::usb_holder(const std::string& syspath) const {
    for (const auto& [vm, attached] : usb_->attachments) {
        auto it = attached.find(syspath);
        if (it != attached.end() && it->second.phase != UsbAttachment::Phase::Failed) return &vm;
    }
    return nullptr;
}

}  // namespace hotseat
