// Collects every problem found while loading one config, each tied to a place in the TOML text,
// so that one run of --check-config shows them all, in file order.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "hotseat/config.h"

namespace hotseat::config {

class Diagnostics {
public:
    explicit Diagnostics(std::string origin) : origin_(std::move(origin)) {}

    void error(const toml::source_region& where, std::string message);
    void error_without_position(std::string message);
    void warning(const toml::source_region& where, std::string message);

    bool has_errors() const { return !errors_.empty(); }

    // In file order (problems without a position first), capped so that a hostile file cannot
    // make the report huge.
    std::vector<ConfigError> take_errors();
    std::vector<ConfigError> take_warnings();

    const std::string& origin() const { return origin_; }

private:
    ConfigError make(const toml::source_region& where, std::string message) const;

    std::string origin_;
    std::vector<ConfigError> errors_;
    std::vector<ConfigError> warnings_;
};

// At most this many errors are reported; the last entry then says how many more there were.
inline constexpr std::size_t kMaxReportedErrors = 100;

}  // namespace hotseat::config
