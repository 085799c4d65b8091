// The host's DRM connectors as the engine sees them, and which status change is a plug or an
// unplug (hotseatd(8); docs/man/hotseat.toml.5 under monitor.disconnected). Pure: the Engine
// (engine_triggers.cpp) turns an edge into rules firing.
//
// - Edges are measured between definite statuses (`connected`, `disconnected`). `unknown` is
//   "not known yet": never an edge into it or out of it; a connector that reads `unknown` keeps
//   the last definite status it had.
// - A connector that appears (start-up, a driver binding, the GPU coming back from a VM) has no
//   status to compare with: its first definite status is where it starts, never an edge.
// - One that appears `unknown` settles: i915 registers a connector as `unknown` and its first
//   probe then reports what is there, with a HOTPLUG uevent. The first definite status within
//   kConnectorSettleMs is taken as it is; a connector still `unknown` after that counts as
//   disconnected, so a monitor plugged in later is a plug.
//
// Settling starts when the connector appears, not when a VM gives its GPU back: libvirt reattaches
// the GPU (and runs the `release` hook) before it sends the domain's STOPPED event, so the
// connector is often back before hotseatd learns that the VM stopped.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hotseat/effects.h"
#include "hotseat/events.h"

namespace hotseat {

// How long a connector that appeared `unknown` waits for its first definite status. i915's first
// probe runs when its fbdev client registers, within about a second of the connector's `add`, and
// the probe helper sends the HOTPLUG uevent right after it (drm_probe_helper.c); a driver without
// an fbdev client probes from its output poll worker, every 10 s (DRM_OUTPUT_POLL_PERIOD). 20 s
// covers two poll periods. Too short would bring back the restart loop of issue #15 (a late first
// probe read as a plug); too long only means that a monitor plugged in within 20 s of a VM
// stopping, while its connector still reads `unknown`, is taken as already there.
inline constexpr std::int64_t kConnectorSettleMs = 20'000;

enum class ConnectorEdge { None, Plug, Unplug };

struct ConnectorVerdict {
    ConnectorEdge edge = ConnectorEdge::None;
    std::string note;  // why a status is not an edge, for the debug log; empty when there is nothing to say
};

class ConnectorTracker {
public:
    ConnectorVerdict on_status(const ConnectorStatus& status, std::int64_t now_ms);
    void on_removed(const std::string& card, const std::string& connector);

    // What the Monitors property shows, ordered by card and connector.
    std::vector<MonitorStatus> published() const;
    // The connector's status now; nullptr when it is not there.
    const MonitorStatus* find(const std::string& card, const std::string& connector) const;

private:
    struct Entry {
        MonitorStatus shown;
        std::optional<bool> baseline;              // the last definite status: edges are measured from it
        std::optional<std::int64_t> settle_until;  // set while it waits for its first definite status
    };
    std::map<std::string, Entry> entries_;  // key: "card0-HDMI-A-1"
};

}  // namespace hotseat
