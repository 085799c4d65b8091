// After `release end`: what the host has now, recorded for hotseatd as the release record
// (include/hotseat/release_record.h): the driver each of the VM's gpu devices ended up with
// (libvirt gives a managed device back to its host driver before the release hook runs) and
// whether a frame-buffer console is bound. Only the hook sees the host at that moment, as root.
#pragma once

#include <string>
#include <vector>

#include "hook_log.h"
#include "hotseat/events.h"
#include "runtime_dir.h"

namespace hotseat::hook {

// The driver bound to each of `gpus` (PCI addresses) now, and the console.
GpuRelease read_release_state(const std::string& domain, const std::vector<std::string>& gpus);

// Writes <domain>.release in one step, replacing an earlier one. A failure is a warning only:
// the record informs, it never decides anything about the host.
void write_release_record(const RuntimeDir& dir, const GpuRelease& record, const Log& log);

// A start makes an earlier record stale: hotseatd must not read it after the next stop.
void forget_release_record(const RuntimeDir& dir, const std::string& domain, const Log& log);

}  // namespace hotseat::hook
