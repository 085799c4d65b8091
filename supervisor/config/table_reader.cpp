#include "config/table_reader.h"

#include <algorithm>

#include "config/limits.h"
#include "config/quote.h"
#include "config/suggest.h"
#include "config/syntax.h"

namespace hotseat::config {

std::string_view type_name(toml::node_type type) {
    switch (type) {
        case toml::node_type::none: return "nothing";
        case toml::node_type::table: return "table";
        case toml::node_type::array: return "array";
        case toml::node_type::string: return "string";
        case toml::node_type::integer: return "integer";
        case toml::node_type::floating_point: return "float";
        case toml::node_type::boolean: return "boolean";
        case toml::node_type::date: return "date";
        case toml::node_type::time: return "time";
        case toml::node_type::date_time: return "date-time";
    }
    return "value";
}

TableReader::TableReader(const toml::table& table, std::string label, Diagnostics& diagnostics)
    : table_(table), label_(std::move(label)), diagnostics_(diagnostics) {}

void TableReader::reject_unknown_keys(const std::vector<std::string_view>& known) {
    for (auto&& [key, value] : table_) {
        if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
        diagnostics_.error(key.source(), subject_ + "unknown key " + quoted(key.str()) + " in " + label_ +
                                             did_you_mean(key.str(), known));
    }
}

const toml::node* TableReader::find(std::string_view key) const { return table_.get(key); }

bool TableReader::expect_type(const toml::node& node, toml::node_type type, std::string_view what) {
    if (node.type() == type) return true;
    std::string expected(type_name(type));
    std::string article = std::string_view("aeiou").find(expected[0]) != std::string_view::npos ? "an " : "a ";
    error(node, std::string(what) + " must be " + article + expected + ", got " + std::string(type_name(node.type())));
    return false;
}

std::optional<std::string> TableReader::string_value(const toml::node& node, std::string_view what) {
    if (!expect_type(node, toml::node_type::string, what)) return std::nullopt;
    const std::string& text = node.as_string()->get();
    if (text.size() > kMaxStringBytes) {
        error(node, std::string(what) + " is " + std::to_string(text.size()) + " bytes long; strings are limited to " +
                        std::to_string(kMaxStringBytes) + " bytes");
        return std::nullopt;
    }
    if (has_control_characters(text)) {
        error(node, std::string(what) + " must not contain control characters");
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> TableReader::string(std::string_view key) {
    const toml::node* node = find(key);
    return node ? string_value(*node, key) : std::nullopt;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const toml::node* node = find(key);
    if (!node || !expect_type(*node, toml::node_type::integer, key)) return std::nullopt;
    std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
        error(*node, std::string(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                         ", got " + std::to_string(value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
    const toml::node* node = find(key);
    if (!node || !expect_type(*node, toml::node_type::boolean, key)) return std::nullopt;
    return node->as_boolean()->get();
}

const toml::array* TableReader::array(std::string_view key) {
    const toml::node* node = find(key);
    if (!node || !expect_type(*node, toml::node_type::array, key)) return nullptr;
    return node->as_array();
}

const toml::table* TableReader::table(std::string_view key) {
    const toml::node* node = find(key);
    if (!node || !expect_type(*node, toml::node_type::table, key)) return nullptr;
    return node->as_table();
}

void TableReader::missing(std::string_view key) {
    error_at_table("missing required key \"" + std::string(key) + "\" in " + label_);
}

void TableReader::error(const toml::node& at, const std::string& message) {
    diagnostics_.error(at.source(), subject_ + message);
}

void TableReader::error(const toml::source_region& at, const std::string& message) {
    diagnostics_.error(at, subject_ + message);
}

void TableReader::error_at_table(const std::string& message) {
    diagnostics_.error(table_.source(), subject_ + message);
}

void TableReader::warning(const toml::node& at, const std::string& message) {
    diagnostics_.warning(at.source(), subject_ + message);
}

}  // namespace hotseat::config
