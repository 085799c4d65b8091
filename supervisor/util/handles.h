// One vocabulary for the C handles the adapters hold (like GLib's g_autoptr): each is freed by
// its owner's destructor, on every return and exception path, with the one function its library
// says frees it. A raw sd_event_source*, virDomainPtr, udev_device* or fd that some code path
// frees by hand is what these replace.
//
//   UniqueFd fd(open(...));                     closed once, by ~UniqueFd
//   EventSource source;                         sd_event_source_disable_unref: a callback never
//   sd_event_add_io(loop, out_ptr(source), ...)   runs after its owner is gone
//   VirDomain domain(virDomainLookupByName(...)); virDomainFree
//   Malloced<char> xml(virDomainGetXMLDesc(...)); free() for what a C library malloc'd for us
//   check(sd_event_add_time(...), "sd_event_add_time");   negative errno -> std::system_error
//
// This header gathers the parts the daemon's adapters use, plus libvirt's and libevdev's owners.
// The parts stand alone for code that links only some of these libraries (the hook, the guest
// helper: the hotseat_util target): util/handle.h (Handle, Malloced, out_ptr, check), util/fd.h
// (UniqueFd), util/sd_handles.h (sd-event, sd-bus), util/udev_handles.h (libudev) and
// util/xml_handles.h (libxml2, which this header leaves out).
#pragma once

#include <libevdev/libevdev.h>
#include <libvirt/libvirt.h>

#include "util/fd.h"
#include "util/handle.h"
#include "util/sd_handles.h"
#include "util/udev_handles.h"

namespace hotseat::util {

// libvirt.
using VirConnect = Handle<virConnect, virConnectClose>;
using VirDomain = Handle<virDomain, virDomainFree>;

// libevdev (its device state; the fd it reads stays the caller's: libevdev_set_fd(3)).
using Evdev = Handle<libevdev, libevdev_free>;

}  // namespace hotseat::util
