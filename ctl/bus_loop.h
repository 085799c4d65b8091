// hotseatctl's event loop for the commands that follow signals (start --wait, monitor): it
// dispatches the connection's messages on this thread, so handlers run here, one at a time.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace sdbus {
class IConnection;
}

namespace hotseat::ctl {

enum class LoopEnd { Done, DeadlinePassed, Interrupted };

struct LoopOptions {
    std::optional<std::chrono::steady_clock::time_point> deadline;  // none: no limit
    bool stop_on_interrupt = false;  // SIGINT/SIGTERM end the loop (Interrupted) instead of the process
};

// Dispatches messages until `done()` holds (checked before waiting and after every message), the
// deadline passes or, with stop_on_interrupt, SIGINT/SIGTERM arrives. A lost connection throws
// Failure(kUnreachable).
LoopEnd run_bus_loop(sdbus::IConnection& connection, const std::function<bool()>& done, const LoopOptions& options);

}  // namespace hotseat::ctl
