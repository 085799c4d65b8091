#include "core/connectors.h"

namespace hotseat {

ConnectorVerdict ConnectorTracker::on_status(const ConnectorStatus& ev, std::int64_t now_ms) {
    auto [it, appeared] = entries_.try_emplace(ev.card + "-" + ev.connector);
    Entry& e = it->second;
    e.shown = MonitorStatus{ev.connector, ev.connected && !ev.unknown, ev.unknown};
    if (ev.unknown) {
        if (e.baseline) return {ConnectorEdge::None, "reads unknown: not known yet, not an edge"};
        if (!e.settle_until) e.settle_until = now_ms + kConnectorSettleMs;  // bounded: never extended
        return {ConnectorEdge::None,
                "reads unknown: waiting for its first probe (until " + std::to_string(*e.settle_until) + " ms)"};
    }
    const bool connected = ev.connected;
    const std::optional<bool> before = e.baseline;
    const bool settling = e.settle_until && now_ms < *e.settle_until;
    e.baseline = connected;
    e.settle_until.reset();
    const char* status = connected ? "connected" : "disconnected";
    if (ev.initial) return {};  // found at start-up: recorded (a restart of hotseatd is no plug)
    if (appeared) return {ConnectorEdge::None, std::string("appeared ") + status + ": not a plug or an unplug"};
    if (!before && settling)
        return {ConnectorEdge::None,
                std::string("settled ") + status + " (its first status since it appeared): not a plug or an unplug"};
    // Still unknown when the settle window ended: it counts as disconnected from then on.
    const bool was_connected = before.value_or(false);
    if (was_connected == connected) return {};
    return {connected ? ConnectorEdge::Plug : ConnectorEdge::Unplug, {}};
}

void ConnectorTracker::on_removed(const std::string& card, const std::string& connector) {
    entries_.erase(card + "-" + connector);
}

std::vector<MonitorStatus> ConnectorTracker::published() const {
    std::vector<MonitorStatus> out;
    out.reserve(entries_.size());
    for (const auto& [key, e] : entries_) out.push_back(e.shown);
    return out;
}

const MonitorStatus* ConnectorTracker::find(const std::string& card, const std::string& connector) const {
    auto it = entries_.find(card + "-" + connector);
    return it == entries_.end() ? nullptr : &it->second.shown;
}

}  // namespace hotseat
