#include "libvirt/state.h"

#include <algorithm>

namespace hotseat::libvirt {

State::State(std::string uri, std::vector<std::string> domains)
    : uri_(std::move(uri)), domains_(domains.begin(), domains.end()) {}

void State::submit(DomainJob job) {
    std::lock_guard lock(mutex_);
    if (stopping_)
        return;
    if (!unreachable_.empty()) {
        outbox_.post(not_connected(job));
        return;
    }
    jobs_.push_back(std::move(job));
    wake_.notify_one();
}

Event query_failed(const QueryJob& job, const std::string& why) {
    if (job.kind == QueryJob::Kind::Cpu) return CpuSample{job.vm, false, 0, 0, why};
    return GuestChannelPath{job.vm, "", why};
}

void State::submit(QueryJob job) {
    std::lock_guard lock(mutex_);
    if (stopping_)
        return;
    if (!unreachable_.empty()) {
        outbox_.post(query_failed(job, "not connected to libvirt (" + uri_ + "): " + unreachable_));
        return;
    }
    jobs_.push_back(std::move(job));
    wake_.notify_one();
}

void State::set_domains(const std::vector<std::string>& domains) {
    std::lock_guard lock(mutex_);
    RefreshJob added;
    for (const auto& name : domains)
        if (domains_.insert(name).second)
            added.vms.push_back(name);
    std::erase_if(domains_, [&](const std::string& name) {
        return std::find(domains.begin(), domains.end(), name) == domains.end();
    });
    // While unreachable the next successful connect posts snapshots of every domain anyway.
    if (added.vms.empty() || !unreachable_.empty() || stopping_)
        return;
    jobs_.push_back(std::move(added));
    wake_.notify_one();
}

void State::request_stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
    wake_.notify_all();
}

State::Next State::wait_next() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return stopping_ || lost_ || !jobs_.empty(); });
    Next next;
    if (stopping_) {
        next.stop = true;
    } else if (lost_) {
        next.lost = std::move(lost_);
        lost_.reset();
    } else {
        next.job = std::move(jobs_.front());
        jobs_.pop_front();
    }
    return next;
}

bool State::sleep(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [&] { return stopping_; });
}

std::vector<std::string> State::domains() const {
    std::lock_guard lock(mutex_);
    return {domains_.begin(), domains_.end()};
}

void State::mark_connected() {
    std::lock_guard lock(mutex_);
    unreachable_.clear();
    outbox_.post(LibvirtConnection{true, {}});
}

void State::mark_disconnected(const std::string& why) {
    std::lock_guard lock(mutex_);
    unreachable_ = why.empty() ? "unknown error" : why;
    outbox_.post(LibvirtConnection{false, unreachable_});
    for (const auto& job : jobs_)
        if (const auto* domain_job = std::get_if<DomainJob>(&job))
            outbox_.post(not_connected(*domain_job));
        else if (const auto* query = std::get_if<QueryJob>(&job))
            outbox_.post(query_failed(*query, "not connected to libvirt (" + uri_ + "): " + unreachable_));
    jobs_.clear();
}

void State::forget_close_notice() {
    std::lock_guard lock(mutex_);
    lost_.reset();
}

void State::shutdown_requested(const std::string& vm) {
    std::lock_guard lock(mutex_);
    lifecycle_.shutdown_requested(vm);
}

void State::shutdown_request_failed(const std::string& vm) {
    std::lock_guard lock(mutex_);
    lifecycle_.shutdown_request_failed(vm);
}

void State::on_lifecycle(const std::string& domain, int event, int detail) {
    std::lock_guard lock(mutex_);
    if (!domains_.contains(domain))
        return;
    if (auto lifecycle = lifecycle_.translate(domain, event, detail))
        outbox_.post(std::move(*lifecycle));
}

void State::on_closed(const std::string& reason) {
    std::lock_guard lock(mutex_);
    lost_ = reason;
    wake_.notify_one();
}

DomainOpResult State::not_connected(const DomainJob& job) const {
    return DomainOpResult{job.vm, job.op, false,
                          "not connected to libvirt (" + uri_ + "): " + unreachable_};
}

}  // namespace hotseat::libvirt
