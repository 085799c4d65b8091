// hotseatctl's side of the sdbus-c++ 1.x/2.x differences (the rest, shared with the daemon, is in
// supervisor/dbus/sdbus_compat.h): the parameter types of Properties_proxy::onPropertiesChanged,
// which 2.x spells with its strong name types, and their conversion to the PropertyMap the rest
// of hotseatctl uses.
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <map>
#include <string>
#include <vector>

#include "dbus/sdbus_compat.h"

namespace hotseat::ctl {

using PropertyMap = std::map<std::string, sdbus::Variant>;

namespace proxy_compat {

using InterfaceName = dbus::sdbus_compat::InterfaceName;
using ChangedProperties = std::map<dbus::sdbus_compat::PropertyName, sdbus::Variant>;
using InvalidatedProperties = std::vector<dbus::sdbus_compat::PropertyName>;

inline PropertyMap to_property_map(const ChangedProperties& changed) {
    return PropertyMap(changed.begin(), changed.end());
}

}  // namespace proxy_compat
}  // namespace hotseat::ctl
