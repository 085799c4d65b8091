// Results travelling from libvirt's threads to the sd-event loop thread: a mutex-protected queue
// plus an eventfd the loop watches, so the loop learns about them without polling.
#pragma once

#include <mutex>
#include <vector>

#include "hotseat/events.h"
#include "util/handles.h"

namespace hotseat::libvirt {

class Outbox {
public:
    Outbox();  // throws std::system_error when no eventfd can be had
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    int fd() const { return fd_.get(); }  // readable exactly while events are queued
    void post(Event event);               // any thread
    std::vector<Event> drain();           // the consumer: everything queued, oldest first

private:
    util::UniqueFd fd_;
    std::mutex mutex_;
    std::vector<Event> queue_;
};

}  // namespace hotseat::libvirt
