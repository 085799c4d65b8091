// The readers for the three top-level sections of hotseat.toml (docs/design.md "Configuration"). Each reads
// what it can, reports every problem to the diagnostics and never throws.
#pragma once

#include <toml++/toml.h>

#include <vector>

#include "config/diagnostics.h"
#include "hotseat/config.h"

namespace hotseat::config {

// [supervisor]
SupervisorConfig read_supervisor(const toml::node& node, Diagnostics& diagnostics);

// [governor]
GovernorConfig read_governor(const toml::node& node, Diagnostics& diagnostics);

// [[vm]]: every entry with a usable name is returned (even if other keys were wrong), so that
// rules referring to it are not reported as dangling as well.
std::vector<VmConfig> read_vms(const toml::node& node, Diagnostics& diagnostics);

// [[rule]], checked against the VMs read before.
std::vector<Rule> read_rules(const toml::node& node, const std::vector<VmConfig>& vms, Diagnostics& diagnostics);

}  // namespace hotseat::config
