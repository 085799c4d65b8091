// The building block of each object's single property setter: store a new value only when it
// differs, and remember the property's name so the setter emits one PropertiesChanged listing
// exactly the properties that changed.
#pragma once

#include <string>
#include <vector>

namespace hotseat::dbus {

template <typename T>
void store_if_changed(T& stored, const T& next, const char* property, std::vector<std::string>& changed) {
    if (stored == next) return;
    stored = next;
    changed.emplace_back(property);
}

}  // namespace hotseat::dbus
