// Handing the boot GPU over (DESIGN §3 fact 7): the host's text consoles drawn by fbcon and
// the firmware framebuffer (efifb, simplefb, vesafb) hold the GPU's memory; vfio-pci cannot take
// it cleanly while they do. They are let go before the guest starts and rebound after it stops.
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
// stay), then every bound firmware framebuffer device; each step under the journal.
Status detach_host_console(Journal& journal, const Log& log);

Status undo_vtconsole(Step& step, Journal& journal, const Log& log);    // bind = 1
Status undo_framebuffer(Step& step, Journal& journal, const Log& log);  // driver's bind

}  // namespace hotseat::hook
