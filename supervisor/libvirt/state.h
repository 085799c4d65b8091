// What the three threads of a Hypervisor share: the sd-event loop thread (submits jobs, drains
// results), the worker (runs jobs, owns the connection) and libvirt's event thread (lifecycle
// and close callbacks). One mutex guards it; nobody holds it across a libvirt call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "hotseat/effects.h"
#include "hotseat/events.h"
#include "libvirt/connection.h"
#include "libvirt/lifecycle.h"
#include "libvirt/outbox.h"

namespace hotseat::libvirt {

// A job for the worker: an effect (libvirt/effect_calls.h runs it), or the adapter's own
// refresh after set_domains().
struct RefreshJob {
    std::vector<std::string> vms;  // post fresh snapshots of these
};
using Job = std::variant<LibvirtEffect, RefreshJob>;

class State final : public ConnectionListener {
public:
    State(std::string uri, std::vector<std::string> domains);

    const std::string& uri() const { return uri_; }
    Outbox& outbox() { return outbox_; }
    const Outbox& outbox() const { return outbox_; }

    // Loop thread.
    void submit(LibvirtEffect effect);  // answers it at once while libvirt is known to be unreachable
    void set_domains(const std::vector<std::string>& domains);
    void request_stop();

    // Worker thread.
    struct Next {
        std::optional<Job> job;
        std::optional<std::string> lost;  // why the connection closed
        bool stop = false;
    };
    Next wait_next();
    bool sleep(std::chrono::milliseconds duration);  // false: stop was requested
    std::vector<std::string> domains() const;
    void mark_connected();                           // posts LibvirtConnection{true}
    void mark_disconnected(const std::string& why);  // posts it, fails queued jobs
    void forget_close_notice();                      // the connection it was about has been torn down
    void shutdown_requested(const std::string& vm);
    void shutdown_request_failed(const std::string& vm);

    // libvirt's event thread.
    void on_lifecycle(const std::string& domain, int event, int detail) override;
    void on_closed(const std::string& reason) override;

private:
    std::optional<Event> not_connected(const Job& job) const;  // needs mutex_
    void fail_queued_jobs();                                   // needs mutex_

    const std::string uri_;
    Outbox outbox_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::set<std::string> domains_;
    LifecycleTranslator lifecycle_;
    std::deque<Job> jobs_;
    std::optional<std::string> lost_;
    std::string unreachable_;  // why libvirt cannot be reached; empty when connected or not yet tried
    bool stopping_ = false;
};

}  // namespace hotseat::libvirt
