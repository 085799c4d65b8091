#include "dbus/sd_event_bus_source.h"

#include <poll.h>
#include <sys/epoll.h>

#include <sdbus-c++/Error.h>
#include <sdbus-c++/IConnection.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "dbus/sdbus_compat.h"
#include "log.h"

namespace hotseat::dbus {
namespace {

using util::check;

// poll(2) bits as sd-bus reports them, translated for epoll.
uint32_t epoll_events(short poll_events) {
    uint32_t events = 0;
    if (poll_events & POLLIN) events |= EPOLLIN;
    if (poll_events & POLLOUT) events |= EPOLLOUT;
    return events;
}

}  // namespace

SdEventBusSource::SdEventBusSource(sd_event* loop, sdbus::IConnection& connection) : connection_(connection) {
    auto poll = sdbus_compat::poll_data(connection_);
    // A throw drops the sources added so far: they are members, destroyed with the half-built object.
    check(sd_event_add_io(loop, util::out_ptr(io_), poll.fd, epoll_events(poll.events), &on_io, this),
          "sd_event_add_io");
    if (poll.event_fd >= 0) {
        check(sd_event_add_io(loop, util::out_ptr(wakeup_), poll.event_fd, EPOLLIN, &on_io, this), "sd_event_add_io");
        sd_event_source_set_description(wakeup_.get(), "dbus-wakeup");
    }
    check(sd_event_source_set_prepare(io_.get(), &on_prepare), "sd_event_source_set_prepare");
    check(sd_event_add_time(loop, util::out_ptr(timer_), CLOCK_MONOTONIC, UINT64_MAX, 0, &on_timer, this),
          "sd_event_add_time");
    check(sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF), "sd_event_source_set_enabled");
    sd_event_source_set_description(io_.get(), "dbus-io");
    sd_event_source_set_description(timer_.get(), "dbus-timeout");
}

SdEventBusSource::~SdEventBusSource() = default;

int SdEventBusSource::on_io(sd_event_source* source, int, uint32_t, void* self) {
    return static_cast<SdEventBusSource*>(self)->dispatch(source);
}

int SdEventBusSource::on_timer(sd_event_source* source, uint64_t, void* self) {
    return static_cast<SdEventBusSource*>(self)->dispatch(source);
}

int SdEventBusSource::on_prepare(sd_event_source*, void* self) { return static_cast<SdEventBusSource*>(self)->rearm(); }

// A failed connection cannot be repaired from here (sdbus-c++ does not reconnect): the daemon is
// useless without its bus name, so the loop is asked to end and the service manager restarts us.
int SdEventBusSource::dispatch(sd_event_source* source) {
    try {
        while (sdbus_compat::process_pending(connection_)) {}
        return 0;
    } catch (const std::exception& e) {
        log::error("D-Bus connection failed: ", e.what());
        sd_event_exit(sd_event_source_get_event(source), EXIT_FAILURE);
        return 0;
    }
}

int SdEventBusSource::rearm() {
    try {
        auto poll = sdbus_compat::poll_data(connection_);
        int r = sd_event_source_set_io_events(io_.get(), epoll_events(poll.events));
        if (r < 0) return r;
        if (!poll.timeout_us) return sd_event_source_set_enabled(timer_.get(), SD_EVENT_OFF);
        r = sd_event_source_set_time(timer_.get(), *poll.timeout_us);
        if (r < 0) return r;
        return sd_event_source_set_enabled(timer_.get(), SD_EVENT_ONESHOT);
    } catch (const std::exception& e) {
        log::error("D-Bus connection failed: ", e.what());
        sd_event_exit(sd_event_source_get_event(io_.get()), EXIT_FAILURE);
        return 0;
    }
}

}  // namespace hotseat::dbus
