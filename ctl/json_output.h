// JSON for --json (nlohmann-json, keys in the order written). One schema for a thing wherever it
// appears: a VM in `status` and a VM property in `monitor` use the same names and shapes.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "snapshot.h"

namespace hotseat::ctl {

using Json = nlohmann::ordered_json;

// Compact (one line, for JSON lines) or indented; invalid UTF-8 is replaced, never thrown on.
std::string dump_json(const Json& value, bool pretty);

// (first, second) pairs as objects: [{"connector": "HDMI-A-1", "status": "connected"}].
Json pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs, const char* first, const char* second);

// µs since the epoch as an ISO 8601 UTC string; null for 0 ("never").
Json time_json(std::uint64_t us);

// PendingStop as an object, null when no stop is pending.
Json pending_stop_json(std::uint64_t deadline_us, const std::string& action, const std::string& reason);
Json vm_json(const VmSnapshot& vm);
// [{"address": "0000:00:02.0", "driver": "i915", "holder": ""}]
Json gpus_json(const std::vector<GpuSnapshot>& gpus);
Json manager_json(const ManagerSnapshot& manager);

}  // namespace hotseat::ctl
