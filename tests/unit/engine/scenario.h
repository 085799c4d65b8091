// Engine scenarios: a script of timestamped events and the exact effects each must produce,
// replayed against the pure engine with fake time (keyd's t/*.t, for hotseat). The format is
// described in tests/unit/engine/README.md.
#pragma once

#include <string>
#include <vector>

#include "hotseat/effects.h"
#include "hotseat/engine.h"

namespace hotseat::scenario {

// One effect as a scenario line ("libvirt start arch-desktop"); logs render as "log: ...".
std::string render(const Effect& effect);
std::string render(const CommandReply& reply);

// Runs the scenario file; returns the failures (empty: passed). `config_dir` holds the TOML
// files a `config NAME` line may name (default.toml otherwise).
std::vector<std::string> run_file(const std::string& path, const std::string& config_dir);

}  // namespace hotseat::scenario
