// Syntax checks for the values a config may hold: names, PCI addresses, USB ids, udev property
// names, evdev key names. Pure functions, no diagnostics: the section readers word the errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotseat::config {

// libvirt domain names as we accept them: [A-Za-z0-9_.+-]+
bool is_vm_name(std::string_view name);

// Rule names: [A-Za-z0-9_.-]+
bool is_rule_name(std::string_view name);

// POSIX-portable group names as useradd/groupadd accept them: [A-Za-z_][A-Za-z0-9_.-]*, an
// optional trailing '$', at most 32 bytes.
bool is_group_name(std::string_view name);

// A URI scheme followed by ':' ("qemu:///system", "test:///path"): catches typos such as a
// bare "system" without pretending to know every libvirt driver.
bool has_uri_scheme(std::string_view uri);

// "DDDD:BB:DD.F" in hex with device <= 0x1f and function <= 7; returns it lowercased.
std::optional<std::string> normalise_pci_address(std::string_view address);

// Exactly four hex digits (USB vendor/product id); returns them lowercased.
std::optional<std::string> normalise_usb_id(std::string_view id);

// udev property names: [A-Z0-9_]+
bool is_udev_property_name(std::string_view name);

// A KEY_* or BTN_* name libevdev knows (KEY_RESERVED and KEY_MAX are not keys).
bool is_evdev_key_name(std::string_view name);

// True when the text holds a byte below 0x20 or 0x7f: never wanted in any value we read.
bool has_control_characters(std::string_view text);

}  // namespace hotseat::config

namespace hotseat::config {

// Every KEY_* and BTN_* name libevdev knows, for "did you mean" suggestions.
const std::vector<std::string_view>& evdev_key_names();

}  // namespace hotseat::config
