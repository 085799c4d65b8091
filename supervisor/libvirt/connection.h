// One open libvirt connection with hotseat's callbacks on it: domain lifecycle events and the
// close notification. Used only by the worker thread; every call here may block for seconds.
// Destroying it deregisters the callbacks and closes the connection; it never touches a domain.
#pragma once

#include <functional>
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

class Connection {
public:
    // nullptr with *error set when libvirt cannot be reached or refuses the callbacks.
    static std::unique_ptr<Connection> open(const std::string& uri, std::shared_ptr<ConnectionListener> listener,
                                            std::string* error);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    SnapshotOutcome snapshot(const std::string& domain);
    // Looks `domain` up and runs `call` on it (libvirt/effect_calls.cpp makes every call
    // through here). `call` returns libvirt's negative when it failed; the failure's message is
    // read before anything else can reset it.
    CallOutcome with_domain(const std::string& domain, const std::function<int(util::VirDomain&)>& call);

private:
    Connection(util::VirConnect handle, std::shared_ptr<ConnectionListener> listener);
    bool register_callbacks(std::string* error);
    CallOutcome failure();  // right after a failed call, while its error is still current

    util::VirConnect handle_;                       // closed after the destructor has deregistered the callbacks
    std::shared_ptr<ConnectionListener> listener_;  // the close callback's opaque points here
    int lifecycle_callback_ = -1;
    bool close_callback_registered_ = false;
};

}  // namespace hotseat::libvirt
