// Drives an sdbus-c++ connection (1.x or 2.x) from an sd-event loop, without sdbus-c++'s own event
// loop thread: an io source on the bus fd and a CLOCK_MONOTONIC timer for sd-bus's timeouts, both
// re-armed from the poll data before every loop iteration (POLLOUT appears when the write queue
// backs up), plus, with 2.x, an io source on the connection's event fd (sdbus-c++ signals work it
// queued itself there). Every bus call then happens on the loop thread. (1.2.0 has no
// attachSdEventLoop; one code path serves both versions.)
#pragma once

#include <systemd/sd-event.h>

#include "util/handles.h"

namespace sdbus {
class IConnection;
}

namespace hotseat::dbus {

class SdEventBusSource {
public:
    // Throws sdbus::Error (connection unusable) or std::system_error (sources not added).
    SdEventBusSource(sd_event* loop, sdbus::IConnection& connection);
    ~SdEventBusSource();
    SdEventBusSource(const SdEventBusSource&) = delete;
    SdEventBusSource& operator=(const SdEventBusSource&) = delete;

private:
    static int on_io(sd_event_source* source, int fd, uint32_t revents, void* self);
    static int on_timer(sd_event_source* source, uint64_t usec, void* self);
    static int on_prepare(sd_event_source* source, void* self);
    int dispatch(sd_event_source* source);
    int rearm();

    sdbus::IConnection& connection_;
    // Declared in this order, so destroyed (disabled and unreferenced) wakeup_, timer_, io_.
    util::EventSource io_;
    util::EventSource timer_;
    util::EventSource wakeup_;  // 2.x's event fd; none with 1.x
};

}  // namespace hotseat::dbus
