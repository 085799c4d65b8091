// libvirt's own event loop (the GLib default context behind virEventRunDefaultImpl), run on a
// thread of its own. Domain events and keepalive are dispatched there, never on the sd-event
// loop. libvirt allows one default implementation per process and GLib lets only one thread
// iterate the default context, so every Hypervisor shares one EventLoop: the first acquire()
// starts the thread, dropping the last reference stops and joins it.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

namespace hotseat::libvirt {

class EventLoop {
public:
    static std::shared_ptr<EventLoop> acquire();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

private:
    EventLoop();
    void run();

    std::atomic<bool> stopping_{false};
    int wake_timer_ = -1;  // armed only to wake the loop for shutdown
    std::thread thread_;
};

}  // namespace hotseat::libvirt
