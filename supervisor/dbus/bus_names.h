// The fixed names of the D-Bus API (docs/design.md "Names"): bus name, object paths, error names.
#pragma once

#include <string>

namespace hotseat::dbus {

inline constexpr const char* kBusName = "org.hotseat.Supervisor1";
inline constexpr const char* kManagerPath = "/org/hotseat/Supervisor1";
inline constexpr const char* kVmPathPrefix = "/org/hotseat/Supervisor1/vm";

namespace error {
inline constexpr const char* kNotFound = "org.hotseat.Supervisor1.Error.NotFound";
inline constexpr const char* kBusy = "org.hotseat.Supervisor1.Error.Busy";
inline constexpr const char* kFailed = "org.hotseat.Supervisor1.Error.Failed";
inline constexpr const char* kInvalidConfig = "org.hotseat.Supervisor1.Error.InvalidConfig";
inline constexpr const char* kAccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
}  // namespace error

// "/org/hotseat/Supervisor1/vm/arch_2ddesktop" for "arch-desktop" (sd_bus_path_encode).
// Throws std::system_error if libsystemd cannot encode it (out of memory).
std::string vm_object_path(const std::string& vm_name);

}  // namespace hotseat::dbus
