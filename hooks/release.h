// `release end` and `reconnect begin`: both go by the undo log alone, so they work for a
// domain whose prepare failed halfway, after a crash, and after the config changed.
#pragma once

#include <string>

#include "hook_log.h"
#include "runtime_dir.h"

namespace hotseat::hook {

// Undoes what the log says, newest first, then removes the log. No log: nothing to do, 0.
// 1 when something could not be undone (logged).
int release(const RuntimeDir& dir, const std::string& undo_log, const Log& log);

// The domain still runs after a libvirtd restart: the log stays. Only says whether it is
// readable. Always 0: a failing reconnect hook would make libvirtd kill the guest.
int reconnect(const RuntimeDir& dir, const std::string& undo_log, const Log& log);

}  // namespace hotseat::hook
