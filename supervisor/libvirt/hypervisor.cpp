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

void Hypervisor::execute(LibvirtEffect effect) { state_->submit(std::move(effect)); }

void Hypervisor::set_domains(const std::vector<std::string>& domains) { state_->set_domains(domains); }

const std::string& Hypervisor::uri() const { return state_->uri(); }

}  // namespace hotseat::libvirt
