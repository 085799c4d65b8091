// Reads one TOML table against its schema. Every key it does not know, every value of the wrong
// type, too long or out of range becomes an error at the value's place; the caller gets only the
// values that passed, as optionals.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"

namespace hotseat::config {

// "string", "integer", "table" ... as a user reads them in TOML.
std::string_view type_name(toml::node_type type);

class TableReader {
public:
    // `label` names the table in messages: "[supervisor]", "[[vm]]", "usb entry".
    TableReader(const toml::table& table, std::string label, Diagnostics& diagnostics);

    // Prefix for every message, e.g. `rule "desk-monitor": `, once the name is known.
    void set_subject(std::string subject) { subject_ = std::move(subject); }
    const std::string& subject() const { return subject_; }

    void reject_unknown_keys(const std::vector<std::string_view>& known);

    const toml::node* find(std::string_view key) const;
    std::optional<std::string> string(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<bool> boolean(std::string_view key);
    const toml::array* array(std::string_view key);
    const toml::table* table(std::string_view key);

    // A string that may sit anywhere (an array element, a table value); `what` names it.
    std::optional<std::string> string_value(const toml::node& node, std::string_view what);

    // Error "missing required key" at the table itself.
    void missing(std::string_view key);
    void error(const toml::node& at, const std::string& message);
    void error(const toml::source_region& at, const std::string& message);
    void error_at_table(const std::string& message);
    void warning(const toml::node& at, const std::string& message);

private:
    bool expect_type(const toml::node& node, toml::node_type type, std::string_view what);

    const toml::table& table_;
    std::string label_;
    std::string subject_;
    Diagnostics& diagnostics_;
};

}  // namespace hotseat::config
