// The governor's scheduler and memory calls, live on the running domain (libvirt/tuning.cpp).
// Each notes in `result` what the knob was before the call, so that the engine can put it back,
// and returns libvirt's negative when the call failed.
#pragma once

#include <cstdint>

#include <libvirt/libvirt.h>

#include "hotseat/events.h"

namespace hotseat::libvirt {

int set_cpu_weight(virDomainPtr domain, std::uint32_t weight, TuneResult& result);
int set_vcpu_quota(virDomainPtr domain, std::int64_t quota_us, std::uint64_t period_us, TuneResult& result);
int set_balloon(virDomainPtr domain, std::uint32_t percent, TuneResult& result);

}  // namespace hotseat::libvirt
