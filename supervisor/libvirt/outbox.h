// Results travelling from libvirt's threads to the sd-event loop thread: a mutex-protected queue
// plus an eventfd the loop watches, so the loop learns about them without polling.
#pragma once

#include <mutex>
#include <vector>

#include "hotseat/events.h"

namespace hotseat::libvirt {

class Outbox {
public:
    Outbox();  // throws std::system_error when no eventfd can be had
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    int fd() const { return fd_; }  // readable exactly while events are queued
    void post(Event event);         // any thread
    std::vector<Event> drain();     // the consumer: everything queued, oldest first

private:
    int fd_ = -1;
    std::mutex mutex_;
    std::vector<Event> queue_;
};

}  // namespace hotseat::libvirt
