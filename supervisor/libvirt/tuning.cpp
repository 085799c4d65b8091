// The governor's libvirt calls (libvirt/tuning.h), all live on the running domain:
//   CpuWeight  scheduler parameter "cpu_shares": libvirt writes it to the VM's cgroup, cpu.weight
//              on cgroup v2 (1-10000), cpu.shares on v1
//   VcpuQuota  "vcpu_period" + "vcpu_quota" (each vCPU's CFS bandwidth; negative: unlimited)
//   Balloon    virDomainSetMemoryFlags to a percentage of the maximum memory
// (Suspend and Resume are one libvirt call each: libvirt/effect_calls.cpp.)
// Before a scheduler change the current value is read, so that the engine can put it back.
#include "libvirt/tuning.h"

#include <libvirt/virterror.h>

#include <optional>
#include <vector>

#include "util/handles.h"

namespace hotseat::libvirt {
namespace {

// The live scheduler parameters; empty when libvirt cannot tell (not an error: the value to
// restore is then unknown and the engine falls back to a default).
struct SchedulerValues {
    std::optional<std::int64_t> shares, quota, period;
};

SchedulerValues read_scheduler(virDomainPtr domain) {
    SchedulerValues out;
    int count = 0;
    util::Malloced<char> type(virDomainGetSchedulerType(domain, &count));  // only `count` is used
    if (!type) return out;
    if (count <= 0 || count > 64) return out;
    std::vector<virTypedParameter> params(static_cast<std::size_t>(count));
    if (virDomainGetSchedulerParametersFlags(domain, params.data(), &count, VIR_DOMAIN_AFFECT_LIVE) < 0) return out;
    unsigned long long u = 0;
    long long s = 0;
    if (virTypedParamsGetULLong(params.data(), count, VIR_DOMAIN_SCHEDULER_CPU_SHARES, &u) == 1)
        out.shares = static_cast<std::int64_t>(u);
    if (virTypedParamsGetULLong(params.data(), count, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, &u) == 1)
        out.period = static_cast<std::int64_t>(u);
    if (virTypedParamsGetLLong(params.data(), count, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, &s) == 1) out.quota = s;
    virTypedParamsClear(params.data(), count);
    return out;
}

// Builds the typed parameters with `add` and sets them live.
template <typename Add>
int set_scheduler(virDomainPtr domain, Add add) {
    virTypedParameterPtr params = nullptr;
    int count = 0, capacity = 0;
    int r = add(&params, &count, &capacity);
    if (r == 0) r = virDomainSetSchedulerParametersFlags(domain, params, count, VIR_DOMAIN_AFFECT_LIVE);
    virTypedParamsFree(params, count);
    return r;
}

}  // namespace

int set_cpu_weight(virDomainPtr domain, std::uint32_t weight, TuneResult& result) {
    result.previous = read_scheduler(domain).shares;
    virResetLastError();
    return set_scheduler(domain, [&](virTypedParameterPtr* p, int* n, int* cap) {
        return virTypedParamsAddULLong(p, n, cap, VIR_DOMAIN_SCHEDULER_CPU_SHARES, weight);
    });
}

int set_vcpu_quota(virDomainPtr domain, std::int64_t quota_us, std::uint64_t period_us, TuneResult& result) {
    SchedulerValues before = read_scheduler(domain);
    result.previous = before.quota;
    result.previous_period = before.period;
    virResetLastError();
    return set_scheduler(domain, [&](virTypedParameterPtr* p, int* n, int* cap) {
        if (virTypedParamsAddULLong(p, n, cap, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD, period_us) < 0) return -1;
        return virTypedParamsAddLLong(p, n, cap, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, quota_us);
    });
}

// The previous value reported is the current balloon size in KiB (for the logs and the tests).
int set_balloon(virDomainPtr domain, std::uint32_t percent, TuneResult& result) {
    virDomainInfo info{};
    if (virDomainGetInfo(domain, &info) < 0) return -1;
    result.previous = static_cast<std::int64_t>(info.memory);
    unsigned long target = info.maxMem * static_cast<unsigned long>(percent) / 100;
    return virDomainSetMemoryFlags(domain, target, VIR_DOMAIN_AFFECT_LIVE);
}

}  // namespace hotseat::libvirt
