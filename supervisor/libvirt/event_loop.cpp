#include "libvirt/event_loop.h"

#include <mutex>
#include <stdexcept>

#include <libvirt/libvirt.h>

#include "libvirt/errors.h"

namespace hotseat::libvirt {

namespace {

// Guards the shared instance and serialises its destruction with the next creation, so that
// two threads never iterate the default context at once.
std::mutex lifetime_mutex;
std::weak_ptr<EventLoop> shared_loop;

void initialise_libvirt_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Threads use libvirt from here on: initialise before any of them does.
        if (virInitialize() < 0) throw std::runtime_error("libvirt failed to initialise");
        silence_libvirt_errors();
        if (virEventRegisterDefaultImpl() < 0) throw std::runtime_error("libvirt event loop: " + last_error_message());
    });
}

void disarm(int timer, void*) { virEventUpdateTimeout(timer, -1); }

}  // namespace

std::shared_ptr<EventLoop> EventLoop::acquire() {
    std::lock_guard lock(lifetime_mutex);
    if (auto loop = shared_loop.lock()) return loop;
    initialise_libvirt_once();
    std::shared_ptr<EventLoop> loop(new EventLoop, [](EventLoop* dying) {
        std::lock_guard lock(lifetime_mutex);
        delete dying;
    });
    shared_loop = loop;
    return loop;
}

EventLoop::EventLoop() {
    wake_timer_ = virEventAddTimeout(-1, disarm, nullptr, nullptr);
    if (wake_timer_ < 0) throw std::runtime_error("libvirt event loop timer: " + last_error_message());
    thread_ = std::thread([this] { run(); });
}

EventLoop::~EventLoop() {
    stopping_ = true;
    virEventUpdateTimeout(wake_timer_, 0);  // fires at once: the blocked iteration returns
    thread_.join();
    virEventRemoveTimeout(wake_timer_);
}

void EventLoop::run() {
    while (!stopping_) virEventRunDefaultImpl();
}

}  // namespace hotseat::libvirt
