#include "dbus/vm_object.h"

#include "dbus/bus_boundary.h"
#include "dbus/properties_changed.h"
#include "dbus/sdbus_compat.h"
#include "log.h"

namespace hotseat::dbus {
namespace {

constexpr const char* kInterface = ::org::hotseat::Supervisor1::VM_adaptor::INTERFACE_NAME;

// What the getters hand out and the setter appends, from one place.
std::string state_to_bus(VmState state) { return std::string(to_string(state)); }

sdbus::Struct<uint64_t, std::string, std::string> pending_stop_to_bus(const PendingStop& p) {
    return sdbus::Struct<uint64_t, std::string, std::string>{p.deadline_us, p.action, p.reason};
}

}  // namespace

VmObject::VmObject(sdbus::IConnection& connection, std::string path, std::string name, const Gatekeeper& gatekeeper,
                   CommandRunner run, PostponeRunner postpone)
    : AdaptorInterfaces(connection, sdbus::ObjectPath{std::move(path)}),
      gatekeeper_(gatekeeper),
      run_(std::move(run)),
      postpone_(std::move(postpone)) {
    status_.name = std::move(name);
    registerAdaptor();
}

VmObject::~VmObject() { unregisterAdaptor(); }

void VmObject::update(const VmStatus& next) { set(next, guest_helper_); }

void VmObject::set_guest_helper(const std::string& version) {
    const VmStatus unchanged = status_;
    set(unchanged, version);
}

void VmObject::set(const VmStatus& next, const std::string& guest_helper) {
    // Signatures as in dbus/org.hotseat.Supervisor1.xml; the order is the getters'.
    PropertiesChanged changed(getObject(), kInterface);
    changed.store(status_.state, next.state, "State", "s", state_to_bus);
    changed.store(status_.step, next.step, "Step", "s");
    changed.store(status_.reason, next.reason, "Reason", "s");
    changed.store(status_.last_error, next.last_error, "LastError", "s");
    changed.store(status_.state_changed_at_us, next.state_changed_at_us, "StateChangedAt", "t");
    changed.store(status_.devices, next.devices, "Devices", "as");
    changed.store(status_.pending_stop, next.pending_stop, "PendingStop", "(tss)", pending_stop_to_bus);
    changed.store(status_.idle_inhibitor, next.idle_inhibitor, "IdleInhibitor", "s");
    changed.store(guest_helper_, guest_helper, "GuestHelper", "s");
    if (auto error = changed.emit(); !error.empty())
        log::warning("cannot emit PropertiesChanged on ", path(), ": ", error);
}

void VmObject::Start() { request(Action::Start, "Start"); }
void VmObject::Stop() { request(Action::Stop, "Stop"); }
void VmObject::Toggle() { request(Action::Toggle, "Toggle"); }
void VmObject::ForceStop() { request(Action::ForceStop, "ForceStop"); }
void VmObject::Hibernate() { request(Action::Hibernate, "Hibernate"); }

void VmObject::Postpone(const uint32_t& seconds) {
    at_bus_boundary([&] {
        uid_t uid = gatekeeper_.admit(getObject(), "Postpone");
        if (!postpone_) throw sdbus_compat::error(error::kFailed, "Postpone is not available");
        postpone_(PostponeRequest{status_.name, seconds, "dbus:Postpone uid=" + std::to_string(uid)});
    });
}

void VmObject::request(Action action, const std::string& method) {
    at_bus_boundary([&] {
        uid_t uid = gatekeeper_.admit(getObject(), method);
        if (!run_) throw sdbus_compat::error(error::kFailed, method + " is not available");
        run_(Command{status_.name, action, "dbus:" + method + " uid=" + std::to_string(uid)});
    });
}

std::string VmObject::Name() {
    return at_bus_boundary([&] { return status_.name; });
}

std::string VmObject::State() {
    return at_bus_boundary([&] { return state_to_bus(status_.state); });
}

std::string VmObject::Step() {
    return at_bus_boundary([&] { return status_.step; });
}

std::string VmObject::Reason() {
    return at_bus_boundary([&] { return status_.reason; });
}

std::string VmObject::LastError() {
    return at_bus_boundary([&] { return status_.last_error; });
}

uint64_t VmObject::StateChangedAt() { return status_.state_changed_at_us; }

std::vector<std::string> VmObject::Devices() {
    return at_bus_boundary([&] { return status_.devices; });
}
std::string VmObject::GuestHelper() {
    return at_bus_boundary([&] { return guest_helper_; });
}

sdbus::Struct<uint64_t, std::string, std::string> VmObject::PendingStop() {
    return at_bus_boundary([&] { return pending_stop_to_bus(status_.pending_stop); });
}

std::string VmObject::IdleInhibitor() {
    return at_bus_boundary([&] { return status_.idle_inhibitor; });
}

}  // namespace hotseat::dbus
