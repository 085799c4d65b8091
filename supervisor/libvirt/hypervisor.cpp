#include "libvirt/hypervisor.h"

#include "libvirt/event_loop.h"
#include "libvirt/state.h"
#include "libvirt/worker.h"

namespace hotseat::libvirt {

Hypervisor::Hypervisor(std::string uri, std::vector<std::string> domains, Backoff backoff)
    : state_(std::make_shared<State>(std::move(uri), std::move(domains))), backoff_(backoff) {}

Hypervisor::~Hypervisor() { stop(); }

void Hypervisor::start() {
    if (worker_.joinable()) return;
    // libvirt's event loop must run before the first connection: it carries domain events and
    // keepalive for every connection opened afterwards.
    event_loop_ = EventLoop::acquire();
    worker_ = std::thread([state = state_, backoff = backoff_] { Worker(state, backoff).run(); });
}

void Hypervisor::stop() {
    if (!worker_.joinable()) return;
    state_->request_stop();
    worker_.join();
    // The connection is closed: release the event loop (stopped if no other Hypervisor uses it).
    event_loop_.reset();
}

int Hypervisor::fd() const { return state_->outbox().fd(); }

std::vector<Event> Hypervisor::drain() { return state_->outbox().drain(); }

void Hypervisor::execute(const StartDomain& effect) { state_->submit(DomainJob{effect.vm, DomainOp::Start}); }

void Hypervisor::execute(const ShutdownDomain& effect) {
    state_->submit(DomainJob{effect.vm, DomainOp::Shutdown, effect.acpi_only});
}

void Hypervisor::execute(const HibernateDomain& effect) { state_->submit(DomainJob{effect.vm, DomainOp::Hibernate}); }

void Hypervisor::execute(const WakeDomain& effect) { state_->submit(DomainJob{effect.vm, DomainOp::Wakeup}); }

void Hypervisor::execute(const DestroyDomain& effect) { state_->submit(DomainJob{effect.vm, DomainOp::Destroy}); }

void Hypervisor::execute(const AttachUsb& effect) {
    state_->submit(UsbJob{effect.vm, UsbOp::Attach, effect.syspath, effect.device});
}

void Hypervisor::execute(const DetachUsb& effect) {
    state_->submit(UsbJob{effect.vm, UsbOp::Detach, effect.syspath, effect.device});
}

void Hypervisor::execute(const SetCpuWeight& effect) {
    state_->submit(TuneJob{effect.vm, TuneOp::CpuWeight, effect.weight, 0});
}

void Hypervisor::execute(const SetVcpuQuota& effect) {
    state_->submit(TuneJob{effect.vm, TuneOp::VcpuQuota, effect.quota_us, static_cast<std::int64_t>(effect.period_us)});
}

void Hypervisor::execute(const SetBalloon& effect) {
    state_->submit(TuneJob{effect.vm, TuneOp::Balloon, effect.percent, 0});
}

void Hypervisor::execute(const SuspendDomain& effect) { state_->submit(TuneJob{effect.vm, TuneOp::Suspend, 0, 0}); }

void Hypervisor::execute(const ResumeDomain& effect) { state_->submit(TuneJob{effect.vm, TuneOp::Resume, 0, 0}); }

void Hypervisor::execute(const FindGuestChannel& effect) {
    state_->submit(QueryJob{effect.vm, QueryJob::Kind::GuestChannel});
}

void Hypervisor::execute(const SampleCpu& effect) { state_->submit(QueryJob{effect.vm, QueryJob::Kind::Cpu}); }

void Hypervisor::set_domains(const std::vector<std::string>& domains) { state_->set_domains(domains); }

const std::string& Hypervisor::uri() const { return state_->uri(); }

}  // namespace hotseat::libvirt
