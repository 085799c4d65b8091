// The libvirt adapter (docs/design.md "Architecture"): hotseat's only door to libvirt.
//
// Threads: the sd-event loop thread calls every public method; a worker thread owns the
// connection and runs the blocking calls (connect, start, shutdown, destroy) in order; libvirt's
// event loop thread (shared process-wide) delivers domain and close events. Results reach the
// loop thread through fd() + drain() as hotseat::Event values:
//   LibvirtConnection  after every connect attempt and when the connection is lost
//   DomainSnapshot     for every configured domain after each connect, and for names added by
//                      set_domains()
//   DomainLifecycle    Started / Stopped / Crashed / Suspended (PMSUSPENDED) of configured domains
//   DomainOpResult     one per execute() of a domain call
//   UsbOpResult        one per execute() of a USB attach/detach
//   TuneResult         one per execute() of a governor call
//   GuestChannelPath,  one per execute() of FindGuestChannel / SampleCpu
//   CpuSample
// A lifecycle event and the DomainOpResult of the call that caused it may arrive in either order.
//
// Stopping the Hypervisor closes the connection and never touches a domain: VMs stay as they are.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hotseat/effects.h"
#include "hotseat/events.h"
#include "libvirt/backoff.h"

namespace hotseat::libvirt {

class EventLoop;
class State;

class Hypervisor {
public:
    // uri: "qemu:///system", "qemu:///system?socket=/path", "test:///abs/path/node.xml".
    // domains: the configured VM names; events of other domains are ignored.
    // backoff: the waits between attempts to reach libvirt (libvirt/backoff.h).
    Hypervisor(std::string uri, std::vector<std::string> domains, Backoff backoff = Backoff{});
    ~Hypervisor();  // stop()
    Hypervisor(const Hypervisor&) = delete;
    Hypervisor& operator=(const Hypervisor&) = delete;

    // Starts the threads and the first connect attempt. Results follow on fd(). Once only: a
    // stopped Hypervisor is not restarted (make a new one, e.g. when the URI changes).
    // Throws std::runtime_error only if libvirt itself cannot initialise.
    void start();
    // Joins the threads. Returns promptly unless a libvirt call is in flight (those cannot be
    // interrupted; the worker finishes it first). Idempotent.
    void stop();

    int fd() const;              // eventfd, readable exactly while events are queued
    std::vector<Event> drain();  // everything queued, oldest first

    // Queues the effect for the worker, which runs it with its one function in
    // libvirt/effect_calls.cpp. Each is answered once:
    //   StartDomain, ShutdownDomain, DestroyDomain, WakeDomain (virDomainPMWakeup) and
    //   HibernateDomain: a DomainOpResult. A hibernation (virDomainPMSuspendForDuration to disk
    //     through the guest agent) returns only once the guest is going down or the agent
    //     refused, so its call runs on a thread of its own: the worker stays free for the ACPI
    //     shutdown or destroy a fallback needs meanwhile. Its result says guest_went_down when it
    //     failed because the guest powered off under it.
    //   AttachUsb, DetachUsb: a UsbOpResult (live only). An attach of a device the domain already
    //     has (a restarted hotseatd adopting a running VM) reports success.
    //   SetCpuWeight, SetVcpuQuota, SetBalloon, SuspendDomain, ResumeDomain: a TuneResult, on the
    //     running domain (live).
    //   FindGuestChannel: a GuestChannelPath; SampleCpu: a CpuSample.
    // While libvirt is unreachable the answer ("not connected to libvirt (<uri>): <reason>") is
    // queued at once, before execute() returns.
    void execute(LibvirtEffect effect);

    // Config reload: follow these names from now on; snapshots are posted for new ones.
    void set_domains(const std::vector<std::string>& domains);

    const std::string& uri() const;

private:
    std::shared_ptr<State> state_;
    Backoff backoff_;
    std::shared_ptr<EventLoop> event_loop_;
    std::thread worker_;
};

}  // namespace hotseat::libvirt
