#include "udev/property_limits.h"

namespace hotseat::udev {

void PropertyCollector::add(std::string_view name, std::string_view value) {
    bool fits = !name.empty() && fits_property_limit(name) && fits_property_limit(value);
    if (!fits || properties_.size() >= kMaxProperties) {
        ++dropped_;
        return;
    }
    properties_.insert_or_assign(std::string(name), std::string(value));
}

}  // namespace hotseat::udev
