#include "dbus/properties_changed.h"

#include <vector>

#include "dbus/sdbus_compat.h"

namespace hotseat::dbus {

void PropertiesChanged::begin() {
    if (signal_) return;
    signal_.emplace(sdbus_compat::create_signal(object_, "org.freedesktop.DBus.Properties", "PropertiesChanged"));
    *signal_ << interface_;
    signal_->openContainer("{sv}");
}

std::string PropertiesChanged::emit() {
    if (!error_.empty() || !signal_) return error_;
    try {
        signal_->closeContainer();
        *signal_ << std::vector<std::string>{};  // invalidated: none, every value is in the signal
        object_.emitSignal(*signal_);
    } catch (const sdbus::Error& e) {
        return e.getMessage();
    }
    return {};
}

}  // namespace hotseat::dbus
