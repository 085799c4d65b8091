#include "dbus/bus_names.h"

#include <systemd/sd-bus.h>

#include <cstdlib>
#include <memory>
#include <system_error>

#include "util/handles.h"

namespace hotseat::dbus {

std::string vm_object_path(const std::string& vm_name) {
    char* encoded = nullptr;
    util::check(sd_bus_path_encode(kVmPathPrefix, vm_name.c_str(), &encoded), "sd_bus_path_encode");
    util::Malloced<char> owner(encoded);
    return encoded;
}

}  // namespace hotseat::dbus
