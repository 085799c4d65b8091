#include "libvirt/outbox.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace hotseat::libvirt {

Outbox::Outbox() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!fd_) throw std::system_error(errno, std::generic_category(), "eventfd for libvirt results");
}

// The eventfd is written and read under the same lock as the queue, so it is readable exactly
// while events are queued: the loop never wakes up to an empty drain.
void Outbox::post(Event event) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(event));
    // The counter only saturates after 2^64-2 unread posts; a failed write then loses nothing
    // because the fd is already readable.
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(fd_.get(), &one, sizeof one);
}

std::vector<Event> Outbox::drain() {
    std::lock_guard lock(mutex_);
    std::uint64_t count = 0;
    [[maybe_unused]] auto got = read(fd_.get(), &count, sizeof count);
    std::vector<Event> events;
    events.swap(queue_);
    return events;
}

}  // namespace hotseat::libvirt
