// The server-first resource governor (docs/governor.md): while a VM runs and the host's services
// stall (PSI triggers, PressureStall events), each running VM climbs a ladder one rung at a time,
// at most one rung per step_s:
//   1 CPU weight lowered   2 vCPU quota capped   3 balloon shrunk (not with PCI passthrough)
//   4 top action (suspend or stop; none leaves the ladder at 3)
// and steps back down one rung per calm_s without a stall (the hysteresis), undoing exactly what
// took effect. Pure, like the rest of the core: events and time in, effects out.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/machines.h"
#include "hotseat/config.h"
#include "hotseat/effects.h"
#include "hotseat/events.h"

namespace hotseat {

class Governor {
public:
    explicit Governor(GovernorConfig config) : config_(std::move(config)) {}

    Effects on_stall(const PressureStall& ev, Machines& machines, Now now);
    Effects on_tick(Machines& machines, Now now);
    Effects on_result(const TuneResult& ev, VmMachine* machine);
    // After every event: a VM that came up gets its cpu_weight, one that went down is forgotten
    // (resumed first if it is being stopped while suspended), the triggers follow "some VM runs".
    Effects follow(const std::vector<VmStatus>& before, Machines& machines);
    Effects notice_cancelled_stops(Machines& machines, Now now);
    // A new config: a disabled governor undoes everything at once; a lower top drops to it.
    Effects reload(GovernorConfig config, Machines& machines);

    std::optional<std::int64_t> deadline() const;
    int level(const std::string& vm) const;

private:
    // What the governor did to one running VM, so that stepping down undoes exactly that.
    struct Ladder {
        int level = 0;
        std::int64_t changed_ms = 0;
        std::string resource;  // the pressure that drove it last
        bool weight_lowered = false, quota_capped = false, ballooned = false, suspended = false;
        std::optional<std::int64_t> weight_before, quota_before, period_before;
    };

    int top_level() const { return config_.top_action == GovernorTop::None ? 3 : 4; }
    std::int64_t calm_deadline(const Ladder& ladder) const;
    Effects climb(VmMachine& vm, Ladder& ladder, Now now);
    Effects stall_while_asleep(VmMachine& vm, const PressureStall& ev, Now now);
    Effects descend(VmMachine& vm, Ladder& ladder, Now now);
    // `cpu_weight`: the VM's configured weight, restored instead of the one libvirt reported.
    Effects undo_rung(const std::string& vm, std::optional<std::uint32_t> cpu_weight, Ladder& ladder);
    void describe(VmMachine& vm, const Ladder& ladder, bool easing) const;
    Effects watch(const Machines& machines);

    GovernorConfig config_;
    std::map<std::string, Ladder> ladders_;  // running VMs the governor has touched
    std::optional<std::int64_t> last_stall_ms_;
    bool watching_ = false;
};

}  // namespace hotseat
