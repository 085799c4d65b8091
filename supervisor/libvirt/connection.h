// One open libvirt connection with hotseat's callbacks on it: domain lifecycle events and the
// close notification. Used only by the worker thread; every call here may block for seconds.
// Destroying it deregisters the callbacks and closes the connection; it never touches a domain.
#pragma once

#include <memory>
#include <string>

#include <libvirt/libvirt.h>

#include "hotseat/events.h"
#include "util/handles.h"

namespace hotseat::libvirt {

// The keepalive on every connection (see Connection::open): a hung libvirtd is noticed at most
// (count + 1) * interval seconds after its last packet.
inline constexpr int kKeepAliveIntervalS = 90;
inline constexpr unsigned kKeepAliveCount = 1;

// Receives what libvirt's event thread reports. Held by shared_ptr: a lifecycle callback that is
// being dispatched while the connection goes away still finds it alive.
class ConnectionListener {
public:
    virtual ~ConnectionListener() = default;
    virtual void on_lifecycle(const std::string& domain, int event, int detail) = 0;
    virtual void on_closed(const std::string& reason) = 0;
};

struct CallOutcome {
    bool ok = false;
    std::string error;  // libvirt's message when !ok
    bool lost = false;  // the failure was the connection itself going away
};

struct SnapshotOutcome {
    DomainSnapshot snapshot;
    CallOutcome call;  // ok also when the domain does not exist (snapshot.exists = false)
};

struct TuneJob;
struct TuneOutcome {
    TuneResult result;
    bool lost = false;  // the failure was the connection itself going away
};

class Connection {
public:
    // nullptr with *error set when libvirt cannot be reached or refuses the callbacks.
    static std::unique_ptr<Connection> open(const std::string& uri, std::shared_ptr<ConnectionListener> listener,
                                            std::string* error);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    SnapshotOutcome snapshot(const std::string& domain);
    // One domain call; `acpi_only`: a shutdown by the ACPI power button, never the guest agent.
    CallOutcome run(DomainOp op, const std::string& domain, bool acpi_only = false);
    // The domain, for a call made on another thread (it keeps the connection alive until it is
    // freed); empty with *call saying why.
    util::VirDomain lookup(const std::string& domain, CallOutcome* call);
    // Live attach/detach of a host USB device (VIR_DOMAIN_AFFECT_LIVE only: the domain's
    // persistent definition is never changed). An attach of a device the live domain already
    // has succeeds without a call.
    CallOutcome usb(UsbOp op, const std::string& domain, const UsbHostDevice& device);
    TuneOutcome tune(const TuneJob& job);  // libvirt/tuning.cpp
    // The guest channel's socket from the live domain XML (path empty when there is none).
    GuestChannelPath guest_channel(const std::string& domain, CallOutcome* call);
    // virDomainGetInfo: CPU time used so far and the vCPU count.
    CpuSample cpu_sample(const std::string& domain, CallOutcome* call);

private:
    Connection(util::VirConnect handle, std::shared_ptr<ConnectionListener> listener);
    bool register_callbacks(std::string* error);
    CallOutcome failure();  // right after a failed call, while its error is still current
    static bool has_usb_hostdev(virDomainPtr domain, const UsbHostDevice& device);

    util::VirConnect handle_;                       // closed after the destructor has deregistered the callbacks
    std::shared_ptr<ConnectionListener> listener_;  // the close callback's opaque points here
    int lifecycle_callback_ = -1;
    bool close_callback_registered_ = false;
};

}  // namespace hotseat::libvirt
