// The edge between sdbus-c++ and our code. sdbus-c++ (1.2.0 and 2.x) turns an sdbus::Error thrown by a
// handler into an error reply, but any other exception escaping a handler terminates the daemon.
// Every method and property handler therefore runs its body through at_bus_boundary().
#pragma once

#include <sdbus-c++/Error.h>

#include <exception>

#include "dbus/bus_names.h"
#include "dbus/sdbus_compat.h"
#include "hotseat/engine.h"

namespace hotseat::dbus {

template <typename Body>
auto at_bus_boundary(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const sdbus::Error&) {
        throw;
    } catch (const std::exception& e) {
        throw sdbus_compat::error(error::kFailed, e.what());
    } catch (...) {
        throw sdbus_compat::error(error::kFailed, "unexpected internal failure");
    }
}

// Throws the D-Bus error (NotFound, Busy, Failed) matching a refused command; returns if accepted.
void throw_unless_accepted(const CommandReply& reply);

}  // namespace hotseat::dbus
