#include "libvirt/worker.h"

#include "libvirt/effect_calls.h"
#include "log.h"

namespace hotseat::libvirt {
namespace {

// The link while connected: the worker's connection, each looked-up domain handed to the call
// with the state it may note things in. It remembers a lost connection, for the worker to act
// on once the effect's answer is out.
class Connected final : public Link {
public:
    Connected(Connection& connection, const std::shared_ptr<State>& state) : connection_(connection), state_(state) {}

    CallOutcome on_domain(const std::string& vm, const std::function<int(Domain&)>& call) override {
        CallOutcome outcome = connection_.with_domain(vm, [&](util::VirDomain& handle) {
            Domain domain{handle, state_};
            return call(domain);
        });
        if (outcome.lost && !lost_) lost_ = outcome.error;
        return outcome;
    }
    const std::optional<std::string>& lost() const { return lost_; }

private:
    Connection& connection_;
    const std::shared_ptr<State>& state_;
    std::optional<std::string> lost_;
};

}  // namespace

void Worker::run() {
    while (true) {
        if (connect()) {
            backoff_.reset();
            if (serve() == Ended::Stop) break;
        }
        if (!state_->sleep(backoff_.next())) break;
    }
    connection_.reset();
}

bool Worker::connect() {
    std::string error;
    connection_ = Connection::open(state_->uri(), state_, &error);
    if (!connection_) {
        state_->mark_disconnected(error);
        return false;
    }
    state_->mark_connected();
    // The callbacks are registered before reading: a change in between shows up as an event
    // after the snapshot rather than being lost.
    return post_snapshots(state_->domains());
}

Worker::Ended Worker::serve() {
    while (true) {
        State::Next next = state_->wait_next();
        if (next.stop) return Ended::Stop;
        if (next.lost) {
            lose_connection(*next.lost);
            return Ended::Lost;
        }
        const auto* refresh = std::get_if<RefreshJob>(&*next.job);
        bool alive = refresh ? post_snapshots(refresh->vms) : run_effect(std::get<LibvirtEffect>(*next.job));
        if (!alive) return Ended::Lost;
    }
}

bool Worker::post_snapshots(const std::vector<std::string>& vms) {
    for (const auto& vm : vms) {
        SnapshotOutcome outcome = connection_->snapshot(vm);
        if (outcome.call.lost) {
            lose_connection(outcome.call.error);
            return false;
        }
        // A domain libvirt cannot describe right now is reported as absent rather than guessed.
        if (!outcome.call.ok) log::warning("libvirt: cannot read the state of domain ", vm, ": ", outcome.call.error);
        state_->outbox().post(std::move(outcome.snapshot));
    }
    return true;
}

// The effect's answer goes out before the connection is given up: the engine hears of the
// failed call, then of the lost connection.
bool Worker::run_effect(const LibvirtEffect& effect) {
    Connected link(*connection_, state_);
    if (auto answer = carry_out(link, effect)) state_->outbox().post(std::move(*answer));
    if (link.lost()) {
        lose_connection(*link.lost());
        return false;
    }
    return true;
}

void Worker::lose_connection(const std::string& why) {
    state_->mark_disconnected(why);
    connection_.reset();
    state_->forget_close_notice();
}

}  // namespace hotseat::libvirt
