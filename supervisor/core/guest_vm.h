// What the engine knows about one running VM's guest (docs/guest-channel.md): whether its channel is
// wanted, the helper that said hello, the guest's connectors, and the idle clock fed by guest
// input reports and CPU samples. Pure data; GuestSessions (core/guest_sessions.h) keeps one per
// VM and turns them into rules firing.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotseat {

inline constexpr int kGuestProtocolVersion = 2;  // guest/protocol.h kProtocolVersion; the core has no I/O deps
// Chords offered to one guest helper at most (guest/protocol.h kMaxHotkeys: the core has no I/O deps).
inline constexpr std::size_t kMaxGuestHotkeys = 32;
// A guest's hotkeys are acted on at most once in this long (a helper is untrusted: a flood of
// `hotkey` lines must not turn into a flood of starts and stops).
inline constexpr std::int64_t kGuestHotkeyGapMs = 1000;
// What a guest can make the host keep and say is bounded (docs/robustness.md, threat model):
// connector names beyond this many per channel connection are dropped, and complaints about a
// guest, like changes of its helper's version, are told at most once a minute per VM.
inline constexpr std::size_t kMaxGuestConnectors = 16;
inline constexpr std::int64_t kGuestTellEveryMs = 60'000;

struct GuestVm {
    bool channel = false;                            // FindGuestChannel issued; the VM runs
    bool ask_again = false;                          // libvirt could not answer it: ask once it is back
    std::string helper;                              // version after hello; empty: none
    std::map<std::string, bool> connectors;          // "card0-HDMI-A-1" -> connected, as the guest said
    int protocol = 0;                                // the helper's, from its hello; 2: it hears stop notices
    std::string inhibitor;                           // what the guest says holds idle; empty: nothing
    std::optional<std::int64_t> hotkey_at;           // when the guest's last hotkey was acted on (rate limit)
    std::vector<std::vector<std::string>> hotkeys;   // the chords its helper was asked to watch
    std::uint64_t connectors_dropped = 0;            // new names beyond the cap, not told yet
    std::optional<std::int64_t> connectors_told_at;  // per connection: forgotten when it closes
    std::optional<std::int64_t> helper_told_at;      // the last PublishGuestHelper of a change
    std::uint64_t helper_changes_held = 0;           // changes since then, published at told_at + a minute

    // Idleness: only while the VM runs and a vm.idle rule names it.
    bool watching = false;
    std::int64_t timeout_ms = 0;
    std::int64_t active_at = 0;  // last input, busy CPU sample, or start of watching
    std::optional<std::int64_t> next_sample;
    bool sampling = false;  // a SampleCpu is in flight
    std::optional<std::int64_t> last_sample_at;
    std::uint64_t last_cpu_ns = 0;
    bool quiet = false;  // the last measured interval was below the threshold
    bool fired = false;  // vm.idle fired; re-armed by activity
    bool speaks_v2() const { return channel && !helper.empty() && protocol >= 2; }

    void stop_watching() {
        watching = sampling = quiet = fired = false;
        next_sample.reset();
        last_sample_at.reset();
    }
    std::optional<std::int64_t> deadline() const;
    // When a held change of the helper's version is published (none: nothing held).
    std::optional<std::int64_t> helper_deadline() const;
    // The channel closed or the VM stopped: what was known of this connection is forgotten.
    void forget_connection() {
        connectors.clear();
        connectors_dropped = 0;
        connectors_told_at.reset();
        helper.clear();
        protocol = 0;
        helper_changes_held = 0;
    }
};

// How often a watched VM's CPU is read: a quarter of the timeout, at most once a minute.
std::int64_t cpu_sample_period_ms(std::int64_t timeout_ms);

// CPU use over an interval in percent of the VM's vCPUs (100 = every vCPU busy all the time).
double cpu_percent(std::uint64_t cpu_delta_ns, std::int64_t wall_delta_ms, std::uint32_t vcpus);

}  // namespace hotseat
