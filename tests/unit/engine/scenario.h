// Engine scenarios: a script of timestamped events and the exact effects each must produce,
// replayed against the pure engine with fake time (keyd's t/*.t, for hotseat). The format is
// described in tests/unit/engine/README.md.
#pragma once

#include <string>
#include <vector>

#include "hotseat/effects.h"
#include "hotseat/engine.h"

namespace hotseat::scenario {

// A command's reply as a scenario line ("reply busy: ..."); effects are written as
// core/effect_text.h renders them, the words hotseatd's debug log uses too.
std::string render(const CommandReply& reply);

// Runs the scenario file; returns the failures (empty: passed). `config_dir` holds the TOML
// files a `config NAME` line may name (default.toml otherwise).
std::vector<std::string> run_file(const std::string& path, const std::string& config_dir);

}  // namespace hotseat::scenario
