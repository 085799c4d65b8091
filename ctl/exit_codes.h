// hotseatctl's exit status. Scripts branch on these, so they are part of the interface: never
// renumber. Documented in `hotseatctl --help` (kExitCodesHelp) and in hotseatctl(1).
#pragma once

namespace hotseat::ctl {

enum ExitCode : int {
    kOk = 0,
    kFailed = 1,        // the daemon could not do it (Error.Failed, InvalidConfig), an invalid
                        // config for check-config, an error finding of doctor, or --wait ended in another state
    kUsage = 2,         // bad command line
    kNotFound = 3,      // no such VM (Error.NotFound)
    kBusy = 4,          // a device the VM needs is held by another VM (Error.Busy)
    kAccessDenied = 5,  // neither root nor in control_group (DBus.Error.AccessDenied)
    kUnreachable = 6,   // no system bus, or nobody owns org.hotseat.Supervisor1 on it
    kTimeout = 7,       // --wait gave up before the VM settled
};

inline constexpr const char* kExitCodesHelp =
    "Exit status:\n"
    "  0  success\n"
    "  1  the daemon refused or failed (Failed, InvalidConfig), the configuration is invalid,\n"
    "     doctor found an error, or --wait ended in another state than the one asked for\n"
    "  2  usage error\n"
    "  3  no such VM (NotFound)\n"
    "  4  busy: a device the VM needs is held by another running VM (Busy)\n"
    "  5  access denied: needs root or membership of the configured control_group\n"
    "  6  hotseatd is not reachable (not running, or no system bus)\n"
    "  7  --wait timed out";

}  // namespace hotseat::ctl
