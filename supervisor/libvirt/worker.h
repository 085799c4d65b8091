// The worker thread's job: keep a libvirt connection (connect, re-connect with backoff, adopt the
// domains' state after each connect) and run the blocking domain calls one at a time, in order.
#pragma once

#include <memory>

#include "libvirt/backoff.h"
#include "libvirt/connection.h"
#include "libvirt/state.h"

namespace hotseat::libvirt {

class Worker {
public:
    Worker(std::shared_ptr<State> state, Backoff backoff) : state_(std::move(state)), backoff_(backoff) {}
    void run();  // returns once State::request_stop() was called

private:
    enum class Ended { Stop, Lost };

    bool connect();  // posts LibvirtConnection and, when connected, the snapshots
    Ended serve();
    bool post_snapshots(const std::vector<std::string>& vms);  // false: connection lost
    bool run_effect(const LibvirtEffect& effect);              // false: connection lost
    void lose_connection(const std::string& why);

    std::shared_ptr<State> state_;
    std::unique_ptr<Connection> connection_;
    Backoff backoff_;
};

}  // namespace hotseat::libvirt
