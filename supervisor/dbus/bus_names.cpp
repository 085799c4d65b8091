#include "dbus/bus_names.h"

#include <systemd/sd-bus.h>

#include <cstdlib>
#include <memory>
#include <system_error>

namespace hotseat::dbus {

std::string vm_object_path(const std::string& vm_name) {
    char* encoded = nullptr;
    int r = sd_bus_path_encode(kVmPathPrefix, vm_name.c_str(), &encoded);
    if (r < 0) throw std::system_error(-r, std::generic_category(), "sd_bus_path_encode");
    std::unique_ptr<char, decltype(&std::free)> owner(encoded, &std::free);
    return encoded;
}

}  // namespace hotseat::dbus
