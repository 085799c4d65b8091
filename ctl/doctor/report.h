// The doctor's findings for people (a table, each fix under its finding, a summary line) and for
// scripts (one JSON object).
#pragma once

#include <string>

#include "finding.h"

namespace hotseat::ctl::doctor {

std::string format_table(const Findings& findings);
std::string format_json(const std::string& config_path, const Findings& findings);
bool has_error(const Findings& findings);

}  // namespace hotseat::ctl::doctor
