// libsystemd's handles in handles.h's vocabulary (sd-event, sd-bus), in a header of their own so
// that a program linking libsystemd but not libvirt (the guest helper) uses the same names.
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <cstring>
#include <string>

#include "util/handle.h"

namespace hotseat::util {

// A source is disabled as well as unreferenced: the loop may still hold a reference to it (a
// dispatch in progress), and its callback must not run for a dead owner.
using EventLoop = Handle<sd_event, sd_event_unref>;
using EventSource = Handle<sd_event_source, sd_event_source_disable_unref>;
using Bus = Handle<sd_bus, sd_bus_flush_close_unref>;
using BusMessage = Handle<sd_bus_message, sd_bus_message_unref>;
// A match or a call's slot: unreferencing it removes the match (sd_bus_slot_unref(3)).
using BusSlot = Handle<sd_bus_slot, sd_bus_slot_unref>;

// The sd_bus_error a call fills in, freed with the call's scope (C's
// _cleanup_(sd_bus_error_free)).
struct BusError {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    BusError() = default;
    BusError(const BusError&) = delete;
    BusError& operator=(const BusError&) = delete;
    ~BusError() { sd_bus_error_free(&error); }
    // What the call that returned `r` says went wrong: the peer's message, else errno's text.
    std::string text(int r) const { return error.message ? error.message : std::strerror(-r); }
};

}  // namespace hotseat::util
