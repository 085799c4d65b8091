// Small helpers the core's files share for building effect lists.
#pragma once

#include <string>
#include <utility>

#include "hotseat/effects.h"

namespace hotseat::fx {

inline Log info(std::string message) { return Log{Log::Level::Info, std::move(message)}; }
inline Log debug(std::string message) { return Log{Log::Level::Debug, std::move(message)}; }
inline Log warning(std::string message) { return Log{Log::Level::Warning, std::move(message)}; }

inline void append(Effects& out, Effects more) {
    for (auto& e : more) out.push_back(std::move(e));
}

}  // namespace hotseat::fx
