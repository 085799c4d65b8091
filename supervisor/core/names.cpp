// The names of the events' enums (hotseat/events.h), one table each: the switch in to_string
// (hotseat/names.h says why a switch). The scenario runner parses them through hotseat/names.h.
#include "hotseat/events.h"
#include "hotseat/names.h"

namespace hotseat {

std::string_view to_string(DomainRunState state) {
    switch (state) {
        case DomainRunState::Off: return "off";
        case DomainRunState::Running: return "running";
        case DomainRunState::Paused: return "paused";
        case DomainRunState::Crashed: return "crashed";
        case DomainRunState::Suspended: return "suspended";
    }
    return kUnknownName;
}

std::string_view to_string(DomainOp op) {
    switch (op) {
        case DomainOp::Start: return "start";
        case DomainOp::Shutdown: return "shutdown";
        case DomainOp::Destroy: return "destroy";
        case DomainOp::Hibernate: return "hibernate";
        case DomainOp::Wakeup: return "wakeup";
    }
    return kUnknownName;
}

std::string_view to_string(UsbOp op) {
    switch (op) {
        case UsbOp::Attach: return "attach";
        case UsbOp::Detach: return "detach";
    }
    return kUnknownName;
}

std::string_view to_string(TuneOp op) {
    switch (op) {
        case TuneOp::CpuWeight: return "cpu-weight";
        case TuneOp::VcpuQuota: return "vcpu-quota";
        case TuneOp::Balloon: return "balloon";
        case TuneOp::Suspend: return "suspend";
        case TuneOp::Resume: return "resume";
    }
    return kUnknownName;
}

}  // namespace hotseat
