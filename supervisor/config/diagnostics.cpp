#include "config/diagnostics.h"

#include <algorithm>

namespace hotseat::config {
namespace {

void sort_by_position(std::vector<ConfigError>& list) {
    std::stable_sort(list.begin(), list.end(), [](const ConfigError& a, const ConfigError& b) {
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
}

}  // namespace

ConfigError Diagnostics::make(const toml::source_region& where, std::string message) const {
    ConfigError e;
    e.file = origin_;
    e.line = where.begin.line;
    e.column = where.begin.column;
    e.message = std::move(message);
    return e;
}

void Diagnostics::error(const toml::source_region& where, std::string message) {
    errors_.push_back(make(where, std::move(message)));
}

void Diagnostics::error_without_position(std::string message) {
    errors_.push_back(make(toml::source_region{}, std::move(message)));
}

void Diagnostics::warning(const toml::source_region& where, std::string message) {
    warnings_.push_back(make(where, std::move(message)));
}

std::vector<ConfigError> Diagnostics::take_errors() {
    sort_by_position(errors_);
    if (errors_.size() > kMaxReportedErrors) {
        auto dropped = errors_.size() - (kMaxReportedErrors - 1);
        errors_.resize(kMaxReportedErrors - 1);
        ConfigError last;
        last.file = origin_;
        last.message = "too many errors: " + std::to_string(dropped) + " more not shown";
        errors_.push_back(std::move(last));
    }
    return std::move(errors_);
}

std::vector<ConfigError> Diagnostics::take_warnings() {
    sort_by_position(warnings_);
    return std::move(warnings_);
}

}  // namespace hotseat::config
