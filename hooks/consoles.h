// Handing the boot GPU over (docs/design.md "Hardware facts" 7): the host's text consoles drawn by fbcon hold
// the GPU's framebuffer; they are let go before the guest starts and rebound after it stops.
//
// The firmware framebuffer device (efi-framebuffer, simple-framebuffer, vesa-framebuffer) is
// usually gone before the hook ever looks: with i915 loaded it was removed when i915 took the
// aperture over at boot, and with i915 blacklisted vfio-pci removes it when it binds the GPU
// (kernel 6.0 and later) — removed, not unbound, so it cannot be bound again until the next boot.
// Unbinding and rebinding it is therefore best effort for older kernels: a refusal is logged and
// never fails a start or a release. After the guest the host's console comes from the GPU's own
// driver (i915's fbdev emulation) once libvirt has given the device back to it.
#pragma once

#include <string>
#include <vector>

#include "hook_log.h"
#include "journal.h"
#include "status.h"

namespace hotseat::hook {

// The PCI devices ("0000:00:02.0") among `devices` that the firmware used as the boot display
// (their boot_vga attribute reads 1).
std::vector<std::string> boot_gpus(const std::vector<std::string>& devices);

// Unbinds every vtconsole whose name says "frame buffer" (the others, like the dummy console,
// stay), then, best effort, every bound firmware framebuffer device; each step under the journal.
Status detach_host_console(Journal& journal, const Log& log);

Status undo_vtconsole(Step& step, Journal& journal, const Log& log);    // bind = 1
Status undo_framebuffer(Step& step, Journal& journal, const Log& log);  // driver's bind, best effort

// Whether some vtconsole named "frame buffer" is bound now (the host has a text console on a
// framebuffer).
bool frame_buffer_console_bound();

}  // namespace hotseat::hook
