// Fuzz target: the names callers and the daemon exchange over D-Bus. hotseatd's methods take no
// arguments: what a caller controls is the object path it calls (sd-bus routes it) and, through
// the config, the VM names the daemon turns into object paths. So:
//   - any VM name → vm_object_path() is a valid object path below the prefix, and decodes back
//     to the same name (hotseatctl decodes paths with vm_name_from_path);
//   - any path → vm_name_from_path() either says "not a VM path" or yields a name whose
//     encoding is that very path.
#include <systemd/sd-bus.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bus_client.h"
#include "config/limits.h"
#include "dbus/bus_names.h"

// scripts/fuzz gives inputs up to the longest path a config's VM name can make: every byte of a
// name escaped as _xx behind the prefix (fuzz/CMakeLists.txt).
static_assert(HOTSEAT_FUZZ_MAX_LEN >= sizeof("/org/hotseat/Supervisor1/vm/") + 3 * hotseat::config::kMaxStringBytes);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (text.find('\0') == std::string::npos && !text.empty()) {  // a C string, as sd-bus takes it
        std::string path = hotseat::dbus::vm_object_path(text);
        if (!sd_bus_object_path_is_valid(path.c_str())) std::abort();
        if (hotseat::ctl::vm_name_from_path(path) != text) std::abort();
        std::string name = hotseat::ctl::vm_name_from_path(text);
        if (!name.empty() && hotseat::dbus::vm_object_path(name) != text) std::abort();
    }
    return 0;
}
