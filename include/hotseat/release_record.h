// The release record: what hotseat-hook found right after `release end` of a domain (which
// driver each of its gpu devices ended up with, whether a frame-buffer console is bound), kept
// as <runtime dir>/<domain>.release for hotseatd, which reads it once the VM has stopped
// (libvirt runs the release hook before it reports the domain stopped). Text, one fact a line:
//
//   hotseat-release 1
//   gpu 0000:00:02.0 i915          one per gpu device of the VM; "-" when no driver is bound
//   console bound                  or "unbound": a vtconsole named "frame buffer" is bound
//
// Pure: the hook formats, the daemon parses; both live in the core library.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "hotseat/events.h"

namespace hotseat {

inline constexpr std::size_t kMaxReleaseRecordBytes = 16 * 1024;
inline constexpr std::size_t kMaxReleaseRecordGpus = 64;

// "<domain>.release"
std::string release_record_name(std::string_view domain);

std::string format_release_record(const GpuRelease& record);

// The record of `vm`; nullopt and *error for anything but a well-formed record within the limits
// above (a PCI address "DDDD:BB:DD.F", a driver name of letters, digits, '_', '-', '.').
std::optional<GpuRelease> parse_release_record(std::string_view text, const std::string& vm, std::string* error);

// A kernel driver name as the record holds it: [A-Za-z0-9_.-], 1 to 64 bytes.
bool is_driver_name(std::string_view name);

}  // namespace hotseat
