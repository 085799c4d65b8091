#include "libvirt/state.h"

#include <algorithm>
#include <variant>

#include "libvirt/effect_calls.h"

namespace hotseat::libvirt {

State::State(std::string uri, std::vector<std::string> domains)
    : uri_(std::move(uri)), domains_(domains.begin(), domains.end()) {}

namespace {

// The link while libvirt is unreachable: every lookup fails at once and no call runs, so an
// effect is answered without calling libvirt, under the mutex (nothing here blocks or re-enters
// State). lost: libvirt said nothing at all (a guest channel lookup is unanswered, not "none").
class Unreachable final : public Link {
public:
    explicit Unreachable(std::string why) : why_(std::move(why)) {}
    CallOutcome on_domain(const std::string&, const std::function<int(Domain&)>&) override {
        return CallOutcome{false, why_, true};
    }

private:
    std::string why_;
};

}  // namespace

void State::submit(LibvirtEffect effect) {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    Job job{std::move(effect)};
    if (!unreachable_.empty()) {
        if (auto answer = not_connected(job)) outbox_.post(std::move(*answer));
        return;
    }
    jobs_.push_back(std::move(job));
    wake_.notify_one();
}

void State::set_domains(const std::vector<std::string>& domains) {
    std::lock_guard lock(mutex_);
    RefreshJob added;
    for (const auto& name : domains)
        if (domains_.insert(name).second) added.vms.push_back(name);
    std::erase_if(domains_, [&](const std::string& name) {
        return std::find(domains.begin(), domains.end(), name) == domains.end();
    });
    // While unreachable the next successful connect posts snapshots of every domain anyway.
    if (added.vms.empty() || !unreachable_.empty() || stopping_) return;
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
    fail_queued_jobs();
}

void State::fail_queued_jobs() {
    for (const auto& job : jobs_)
        if (auto answer = not_connected(job)) outbox_.post(std::move(*answer));
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
    if (!domains_.contains(domain)) return;
    if (auto lifecycle = lifecycle_.translate(domain, event, detail)) outbox_.post(std::move(*lifecycle));
}

void State::on_closed(const std::string& reason) {
    std::lock_guard lock(mutex_);
    lost_ = reason;
    wake_.notify_one();
}

// The answer to a job that cannot be run because libvirt is unreachable: its caller hears of it
// like of any failed call, from the effect's own function. A refresh needs none: the next
// connect posts every snapshot anyway.
std::optional<Event> State::not_connected(const Job& job) const {
    const auto* effect = std::get_if<LibvirtEffect>(&job);
    if (effect == nullptr) return std::nullopt;
    Unreachable link("not connected to libvirt (" + uri_ + "): " + unreachable_);
    return carry_out(link, *effect);
}

}  // namespace hotseat::libvirt
