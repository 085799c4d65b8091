// The gpu devices of the configuration, each once (several VMs may list the same one), with the
// VM that holds it now: the machine-wide GPU checks judge a device at rest, with every VM that
// could take it off.
#pragma once

#include <string>
#include <vector>

#include "context.h"

namespace hotseat::ctl::doctor {

struct GpuUse {
    std::string address;           // "0000:00:02.0", lower case
    std::vector<std::string> vms;  // the VMs that list it, in config order
    std::string holder;            // the one of them running now (libvirt says); empty when none
};

std::vector<GpuUse> configured_gpus(DoctorContext& context);

// "a, b and c"
std::string joined(const std::vector<std::string>& items);

}  // namespace hotseat::ctl::doctor
