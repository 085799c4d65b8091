// A property value from a PropertiesChanged signal, in words (monitor lines, --wait progress) or
// as JSON (monitor --json). Known properties get their meaning (StateChangedAt as a time,
// Monitors as connector/status); anything else is shown by its D-Bus type.
#pragma once

#include <sdbus-c++/Types.h>

#include <string>

#include "json_output.h"

namespace hotseat::ctl {

// `value` as shell-style text: plain words bare, anything else in double quotes.
std::string quoted_if_needed(const std::string& value);

// Monitors=[HDMI-A-1 connected], State=running, Step="shutting down (ACPI)", ...
std::string property_text(const std::string& name, const sdbus::Variant& value);

Json property_json(const std::string& name, const sdbus::Variant& value);

}  // namespace hotseat::ctl
