// hotseatd's side of the release record (include/hotseat/release_record.h): the file hotseat-hook
// leaves in the runtime directory ($HOTSEAT_RUNTIME_DIR, default /run/hotseat, as for the hook)
// after a VM's `release end`.
#pragma once

#include <optional>
#include <string>

#include "hotseat/events.h"

namespace hotseat {

// The runtime directory hotseatd reads: $HOTSEAT_RUNTIME_DIR, default /run/hotseat.
std::string runtime_dir_from_environment();

// <runtime_dir>/<vm>.release, parsed; nullopt when there is none (the hook is not installed, or
// did not release this VM) or when it is not a plain, well-formed record (logged). Never follows
// a symlink and reads at most kMaxReleaseRecordBytes.
std::optional<GpuRelease> read_release_record(const std::string& runtime_dir, const std::string& vm);

}  // namespace hotseat
