// What libvirt itself answers a call hotseat makes, asked directly on a fresh connection: the
// oracle for tests whose expectation is "libvirt's own words, passed on". libvirt's test driver
// changes between releases in what it implements and how it words a refusal (a live USB attach:
// libvirt 9 "this function is not supported by the connection driver:
// virDomainAttachDeviceFlags", libvirt 11 "... Domain has no USB bus support"), so such a test
// compares with this answer instead of one release's wording.
#pragma once

#include <optional>
#include <string>

#include "hotseat/events.h"

namespace hotseat::test {

// The message libvirt refuses the live attach or detach of `device` to/from `domain` with (the
// XML hotseat sends: libvirt/hostdev_xml.h), or nothing when libvirt accepts it. A test driver
// URI (test:///file) gives every connection its own copy of the node, so asking changes nothing
// the code under test sees. Throws when the connection or the domain lookup fails.
std::optional<std::string> libvirt_usb_refusal(const std::string& uri, const std::string& domain, UsbOp op,
                                               const UsbHostDevice& device);

}  // namespace hotseat::test
