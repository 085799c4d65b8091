#include "libvirt/worker.h"

#include "libvirt/agent_call.h"
#include "log.h"

namespace hotseat::libvirt {

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
        bool alive = true;
        if (const auto* refresh = std::get_if<RefreshJob>(&*next.job))
            alive = post_snapshots(refresh->vms);
        else if (const auto* usb = std::get_if<UsbJob>(&*next.job))
            alive = run_usb_job(*usb);
        else if (const auto* tune = std::get_if<TuneJob>(&*next.job))
            alive = run_tune(*tune);
        else if (const auto* query = std::get_if<QueryJob>(&*next.job))
            alive = run_query(*query);
        else
            alive = run_job(std::get<DomainJob>(*next.job));
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

bool Worker::run_job(const DomainJob& job) {
    if (job.op == DomainOp::Hibernate) return run_hibernate(job);
    // Noted before the call: the STOPPED event may be dispatched before virDomainShutdown returns.
    if (job.op == DomainOp::Shutdown) state_->shutdown_requested(job.vm);
    CallOutcome outcome = connection_->run(job.op, job.vm, job.acpi_only);
    if (job.op == DomainOp::Shutdown && !outcome.ok) state_->shutdown_request_failed(job.vm);
    state_->outbox().post(DomainOpResult{job.vm, job.op, outcome.ok, outcome.error});
    if (outcome.lost) {
        lose_connection(outcome.error);
        return false;
    }
    return true;
}

// The lookup here, the call on a thread of its own (libvirt/agent_call.h).
bool Worker::run_hibernate(const DomainJob& job) {
    CallOutcome call;
    util::VirDomain domain = connection_->lookup(job.vm, &call);
    if (!domain) {
        state_->outbox().post(DomainOpResult{job.vm, job.op, false, call.error, false});
        if (call.lost) {
            lose_connection(call.error);
            return false;
        }
        return true;
    }
    hibernate_apart(std::move(domain), job.vm, state_);
    return true;
}

bool Worker::run_usb_job(const UsbJob& job) {
    CallOutcome outcome = connection_->usb(job.op, job.vm, job.device);
    state_->outbox().post(UsbOpResult{job.vm, job.op, job.syspath, job.device, outcome.ok, outcome.error});
    if (outcome.lost) {
        lose_connection(outcome.error);
        return false;
    }
    return true;
}

bool Worker::run_tune(const TuneJob& job) {
    TuneOutcome outcome = connection_->tune(job);
    state_->outbox().post(std::move(outcome.result));
    if (outcome.lost) {
        lose_connection(outcome.result.error);
        return false;
    }
    return true;
}

bool Worker::run_query(const QueryJob& job) {
    CallOutcome call;
    if (job.kind == QueryJob::Kind::Cpu)
        state_->outbox().post(connection_->cpu_sample(job.vm, &call));
    else {
        GuestChannelPath answer = connection_->guest_channel(job.vm, &call);
        answer.unanswered = call.lost;  // the connection broke, not the channel
        state_->outbox().post(std::move(answer));
    }
    if (call.lost) {
        lose_connection(call.error);
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
