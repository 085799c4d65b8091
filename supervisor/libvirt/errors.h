// libvirt's error reporting, made quiet and per call: libvirt prints every error to stderr by
// default; hotseat instead takes the message of the call that failed and decides itself whether
// it is worth logging.
#pragma once

#include <string>

#include <libvirt/libvirt.h>

namespace hotseat::libvirt {

// Replaces libvirt's default handler (print to stderr) with one that says nothing. Process-wide.
void silence_libvirt_errors();

// The message of the last failed libvirt call on this thread. Read it right after the failure:
// almost every libvirt call, including cleanup like virDomainFree, resets it.
std::string last_error_message();

// After a failed call: is the connection itself gone (daemon died, socket closed, keepalive
// timeout), as opposed to the call being refused?
bool connection_is_dead(virConnectPtr connection);

}  // namespace hotseat::libvirt
