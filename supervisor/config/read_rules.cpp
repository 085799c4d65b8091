#include <algorithm>

#include "config/limits.h"
#include "config/quote.h"
#include "config/rule_conditions.h"
#include "config/sections.h"
#include "config/suggest.h"
#include "config/syntax.h"
#include "config/table_reader.h"
#include "hotseat/names.h"

namespace hotseat::config {
namespace {

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

// A required string key, reported as missing at the table when absent.
std::optional<std::string> required_string(TableReader& reader, std::string_view key) {
    if (!reader.find(key)) {
        reader.missing(key);
        return std::nullopt;
    }
    return reader.string(key);
}

// Reads `key` as an enumerator of Value by name (hotseat/names.h); unknown names list what is
// accepted.
template <typename Value>
std::optional<Value> read_choice(TableReader& reader, std::string_view key, std::string_view what) {
    auto text = required_string(reader, key);
    if (!text) return std::nullopt;
    auto value = from_name<Value>(*text);
    if (!value) {
        auto names = all_names<Value>();
        reader.error(*reader.find(key), std::string(key) + " " + quoted(*text) + " is not " + std::string(what) +
                                            " (one of " + joined(names) + ")" + did_you_mean(*text, names));
    }
    return value;
}

std::optional<std::string> read_rule_name(TableReader& reader) {
    auto name = required_string(reader, "name");
    if (name && !is_rule_name(*name)) {
        reader.error(*reader.find("name"),
                     "name " + quoted(*name) + " is not a valid rule name (letters, digits and _ . - only)");
        return std::nullopt;
    }
    return name;
}

std::string defined_vms(const std::vector<VmConfig>& vms) {
    if (vms.empty()) return "no [[vm]] is defined";
    constexpr std::size_t kListed = 10;
    std::string out = "defined: ";
    for (std::size_t i = 0; i < vms.size() && i < kListed; ++i) out += (i ? ", " : "") + vms[i].name;
    if (vms.size() > kListed) out += ", ... (" + std::to_string(vms.size()) + " in all)";
    return out;
}

void read_rule_vm(TableReader& reader, const std::vector<VmConfig>& vms, Rule& rule) {
    auto vm = required_string(reader, "vm");
    if (!vm) return;
    auto named = [&](const VmConfig& candidate) { return candidate.name == *vm; };
    if (std::none_of(vms.begin(), vms.end(), named)) {
        reader.error(*reader.find("vm"), "vm " + quoted(*vm) + " is not defined (" + defined_vms(vms) + ")");
        return;
    }
    rule.vm = *vm;
}

// A vm.idle rule for a VM whose idle timeout is 0 (never) is accepted but can never fire.
void warn_if_never_idle(TableReader& reader, const std::optional<Trigger>& on, const Rule& rule,
                        const std::vector<VmConfig>& vms) {
    if (on != Trigger::VmIdle) return;
    auto vm = std::find_if(vms.begin(), vms.end(), [&](const VmConfig& v) { return v.name == rule.vm; });
    if (vm == vms.end() || vm->idle_timeout_min != 0 || vm->idle_timeout_s != 0) return;
    reader.warning(*reader.find("on"),
                   "trigger vm.idle never fires: vm " + quoted(rule.vm) + " has idle_timeout_min = 0 (never idle)");
}

std::optional<Rule> read_rule(const toml::table& table, std::size_t index, const std::vector<VmConfig>& vms,
                              Diagnostics& diagnostics) {
    TableReader reader(table, "[[rule]]", diagnostics);
    reader.set_subject("rule #" + std::to_string(index + 1) + ": ");
    Rule rule;
    auto name = read_rule_name(reader);
    if (name) reader.set_subject("rule " + quoted(*name) + ": ");
    reader.reject_unknown_keys(
        {"name", "on", "action", "vm", "connector", "keys", "match", "takeover", "device", "hold_s", "source"});
    auto on = read_choice<Trigger>(reader, "on", "a trigger");
    auto action = read_choice<Action>(reader, "action", "an action");
    read_rule_vm(reader, vms, rule);
    read_rule_conditions(reader, on, rule);
    read_rule_hold(reader, on, rule);
    rule.takeover = reader.boolean("takeover").value_or(false);
    warn_if_never_idle(reader, on, rule, vms);
    if (!name) return std::nullopt;
    rule.name = *name;
    if (on) rule.on = *on;
    if (action) rule.action = *action;
    return rule;
}

}  // namespace

std::vector<Rule> read_rules(const toml::node& node, const std::vector<VmConfig>& vms, Diagnostics& diagnostics) {
    std::vector<Rule> rules;
    const toml::array* list = node.as_array();
    if (!list) {
        diagnostics.error(node.source(),
                          "rule must be an array of tables ([[rule]]), got " + std::string(type_name(node.type())));
        return rules;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& element = *list->get(i);
        if (i == kMaxRules) {
            diagnostics.error(element.source(),
                              "too many [[rule]] entries: at most " + std::to_string(kMaxRules) + " are allowed");
            break;
        }
        if (!element.is_table()) {
            diagnostics.error(element.source(),
                              "rule entries must be tables ([[rule]]), got " + std::string(type_name(element.type())));
            continue;
        }
        auto rule = read_rule(*element.as_table(), i, vms, diagnostics);
        if (!rule) continue;
        auto same_name = [&](const Rule& other) { return other.name == rule->name; };
        if (std::any_of(rules.begin(), rules.end(), same_name)) {
            diagnostics.error(element.as_table()->get("name")->source(),
                              "rule " + quoted(rule->name) + " is defined twice");
            continue;
        }
        rules.push_back(std::move(*rule));
    }
    return rules;
}

}  // namespace hotseat::config
