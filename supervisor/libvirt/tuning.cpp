// The governor's libvirt calls (Connection::tune), all live on the running domain:
//   CpuWeight  scheduler parameter "cpu_shares": libvirt writes it to the VM's cgroup, cpu.weight
//              on cgroup v2 (1-10000), cpu.shares on v1
//   VcpuQuota  "vcpu_period" + "vcpu_quota" (each vCPU's CFS bandwidth; negative: unlimited)
//   Balloon    virDomainSetMemoryFlags to a percentage of the maximum memory
//   Suspend / Resume
// Before a scheduler change the current value is read, so that the engine can put it back.
#include <libvirt/virterror.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "libvirt/connection.h"
#include "libvirt/state.h"
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

int set_weight(virDomainPtr domain, const TuneJob& job, TuneResult& result) {
    result.previous = read_scheduler(domain).shares;
    virResetLastError();
    return set_scheduler(domain, [&](virTypedParameterPtr* p, int* n, int* cap) {
        return virTypedParamsAddULLong(p, n, cap, VIR_DOMAIN_SCHEDULER_CPU_SHARES,
                                       static_cast<unsigned long long>(job.value));
    });
}

int set_quota(virDomainPtr domain, const TuneJob& job, TuneResult& result) {
    SchedulerValues before = read_scheduler(domain);
    result.previous = before.quota;
    result.previous_period = before.period;
    virResetLastError();
    return set_scheduler(domain, [&](virTypedParameterPtr* p, int* n, int* cap) {
        if (virTypedParamsAddULLong(p, n, cap, VIR_DOMAIN_SCHEDULER_VCPU_PERIOD,
                                    static_cast<unsigned long long>(job.period)) < 0)
            return -1;
        return virTypedParamsAddLLong(p, n, cap, VIR_DOMAIN_SCHEDULER_VCPU_QUOTA, job.value);
    });
}

// The previous value reported is the current balloon size in KiB (for the logs and the tests).
int set_balloon(virDomainPtr domain, const TuneJob& job, TuneResult& result) {
    virDomainInfo info{};
    if (virDomainGetInfo(domain, &info) < 0) return -1;
    result.previous = static_cast<std::int64_t>(info.memory);
    unsigned long target = info.maxMem * static_cast<unsigned long>(job.value) / 100;
    return virDomainSetMemoryFlags(domain, target, VIR_DOMAIN_AFFECT_LIVE);
}

int call(virDomainPtr domain, const TuneJob& job, TuneResult& result) {
    switch (job.op) {
        case TuneOp::CpuWeight: return set_weight(domain, job, result);
        case TuneOp::VcpuQuota: return set_quota(domain, job, result);
        case TuneOp::Balloon: return set_balloon(domain, job, result);
        case TuneOp::Suspend: return virDomainSuspend(domain);
        case TuneOp::Resume: return virDomainResume(domain);
    }
    return -1;
}

}  // namespace

TuneOutcome Connection::tune(const TuneJob& job) {
    TuneOutcome outcome;
    outcome.result.vm = job.vm;
    outcome.result.op = job.op;
    util::VirDomain domain(virDomainLookupByName(handle_.get(), job.vm.c_str()));
    int r = domain ? call(domain.get(), job, outcome.result) : -1;
    if (r < 0) {
        CallOutcome failed = failure();
        outcome.result.error = failed.error;
        outcome.lost = failed.lost;
        return outcome;
    }
    outcome.result.ok = true;
    return outcome;
}

}  // namespace hotseat::libvirt
