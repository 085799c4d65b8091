// What the engine knows about USB passthrough: the usb_devices present on the host (and whether
// their driver is bound, i.e. they are ready), and per VM the devices attached or on their way.
#pragma once

#include <map>
#include <string>

#include "hotseat/events.h"

namespace hotseat {

struct UsbPresent {
    UsbHostDevice device;
    bool bound = false;  // udev `bind` seen (or found bound): ready to pass through
};

struct UsbAttachment {
    enum class Phase { Attaching, Attached, Failed, Detaching };
    UsbHostDevice device;
    Phase phase = Phase::Attaching;
    bool gone = false;  // unplugged while the attach was in flight: detach once it reports
};

struct UsbState {
    std::map<std::string, UsbPresent> present;  // syspath → device
    // VM name → syspath → attachment. Failed entries stay until the device or the VM goes, so
    // a failing attach is not retried in a loop; a replug or the next start tries again.
    std::map<std::string, std::map<std::string, UsbAttachment>> attachments;
};

}  // namespace hotseat
