// One VM object, /org/hotseat/Supervisor1/vm/<encoded name>, interface org.hotseat.Supervisor1.VM.
// Properties are read from the stored VmStatus, which changes only through update().
#pragma once

#include <sdbus-c++/sdbus-c++.h>

#include <functional>
#include <string>
#include <vector>

#include "dbus/gatekeeper.h"
#include "hotseat/dbus/supervisor1_adaptor.h"
#include "hotseat/effects.h"
#include "hotseat/events.h"

namespace hotseat::dbus {

// Runs a command for a VM; throws sdbus::Error when it is refused.
using CommandRunner = std::function<void(const Command&)>;
// Runs a VM.Postpone; throws sdbus::Error when it is refused.
using PostponeRunner = std::function<void(const PostponeRequest&)>;

class VmObject final : public sdbus::AdaptorInterfaces<::org::hotseat::Supervisor1::VM_adaptor,
                                                       sdbus::ManagedObject_adaptor, sdbus::Properties_adaptor> {
public:
    VmObject(sdbus::IConnection& connection, std::string path, std::string name, const Gatekeeper& gatekeeper,
             CommandRunner run, PostponeRunner postpone = {});
    ~VmObject();

    // The engine's VmStatus (its name is ignored: Name is constant), and GuestHelper: the
    // helper's version after its hello, empty otherwise. Both go through set().
    void update(const VmStatus& next);
    const VmStatus& status() const { return status_; }
    void set_guest_helper(const std::string& version);
    const std::string& path() const { return getObject().getObjectPath(); }

private:
    void Start() override;
    void Stop() override;
    void Toggle() override;
    void ForceStop() override;
    void Postpone(const uint32_t& seconds) override;
    void Hibernate() override;
    void request(Action action, const std::string& method);
    // The one setter (docs/design.md "The D-Bus API": nothing bypasses it): stores every property that
    // differs and emits one PropertiesChanged listing exactly those.
    void set(const VmStatus& next, const std::string& guest_helper);

    std::string Name() override;
    std::string State() override;
    std::string Step() override;
    std::string Reason() override;
    std::string LastError() override;
    uint64_t StateChangedAt() override;
    std::vector<std::string> Devices() override;
    std::string GuestHelper() override;
    sdbus::Struct<uint64_t, std::string, std::string> PendingStop() override;
    std::string IdleInhibitor() override;

    const Gatekeeper& gatekeeper_;
    CommandRunner run_;
    PostponeRunner postpone_;
    VmStatus status_;
    std::string guest_helper_;
};

}  // namespace hotseat::dbus
