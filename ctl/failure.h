// How a command gives up: it throws Failure, main() prints "hotseatctl: <message>" on stderr and
// exits with the code. D-Bus errors are translated here into words and an exit code, so every
// command reports the same error the same way.
#pragma once

#include <sdbus-c++/Error.h>

#include <stdexcept>
#include <string>

#include "exit_codes.h"

namespace hotseat::ctl {

class Failure : public std::runtime_error {
public:
    Failure(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const { return code_; }

private:
    ExitCode code_;
};

// The exit code for a D-Bus error name (NotFound → 3, Busy → 4, ...; unknown names → 1).
ExitCode exit_code_for(const std::string& error_name);

// "<context>: <what the error name means>: <the message the peer sent>", e.g.
// "start arch-desktop: busy, a device it needs is held by another VM: 0000:00:02.0 is held by
// VM "win11" (running)". `context` names what was attempted.
Failure bus_failure(const std::string& context, const sdbus::Error& error);

// Runs `body`; an sdbus::Error escaping it becomes bus_failure(context, error).
template <typename Body>
auto on_bus(const std::string& context, Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const sdbus::Error& e) {
        throw bus_failure(context, e);
    }
}

}  // namespace hotseat::ctl
