// The governor's scheduler calls against a real libvirtd with a real (tiny) QEMU guest: what the
// test driver cannot do. libvirt 9.0 on this machine's cgroup hierarchy must accept the CPU
// weight ("cpu_shares") and the vCPU quota live, report the previous values (which the engine
// restores when stepping down), and put them back.
#include <iostream>

#include "e2e_fixture.h"
#include "libvirt/hypervisor.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

// The next TuneResult of `op`, draining the Hypervisor's fd until the deadline.
std::optional<TuneResult> result_of(libvirt::Hypervisor& hv, TuneOp op) {
    std::optional<TuneResult> found;
    wait_until([&] {
        for (auto& event : hv.drain())
            if (auto* r = std::get_if<TuneResult>(&event); r && r->op == op && !found) found = *r;
        return found.has_value();
    }, 15s);
    return found;
}

std::string schedinfo_line(const std::string& schedinfo, const std::string& key) {
    auto at = schedinfo.find(key);
    if (at == std::string::npos) return "";
    return schedinfo.substr(at, schedinfo.find('\n', at) - at);
}

TEST_F(E2e, GovernorSchedulerCallsWorkLiveAndReportWhatTheyReplaced) {
    Stopwatch watch("governor-scheduler");
    ASSERT_NO_FATAL_FAILURE(start({}));
    ASSERT_NO_FATAL_FAILURE(plug_and_boot(watch));

    libvirt::Hypervisor hv(libvirt_->uri(), {kVm});
    hv.start();
    hv.execute(SetCpuWeight{kVm, 200});
    auto weight = result_of(hv, TuneOp::CpuWeight);
    ASSERT_TRUE(weight);
    ASSERT_TRUE(weight->ok) << weight->error << "\n" << libvirt_->logs();
    EXPECT_TRUE(weight->previous.has_value()) << "the weight before the call was not read";
    std::string schedinfo = libvirt_->virsh({"schedinfo", kVm});
    EXPECT_NE(schedinfo_line(schedinfo, "cpu_shares").find("200"), std::string::npos) << schedinfo;

    hv.execute(SetVcpuQuota{kVm, 50000, 100000});
    auto quota = result_of(hv, TuneOp::VcpuQuota);
    ASSERT_TRUE(quota);
    ASSERT_TRUE(quota->ok) << quota->error;
    ASSERT_TRUE(quota->previous.has_value() && quota->previous_period.has_value());
    schedinfo = libvirt_->virsh({"schedinfo", kVm});
    EXPECT_NE(schedinfo_line(schedinfo, "vcpu_quota").find("50000"), std::string::npos) << schedinfo;

    // Stepping down: what was there before comes back.
    hv.execute(SetVcpuQuota{kVm, *quota->previous, static_cast<std::uint64_t>(*quota->previous_period)});
    auto restored = result_of(hv, TuneOp::VcpuQuota);
    ASSERT_TRUE(restored && restored->ok) << (restored ? restored->error : "no result");
    EXPECT_EQ(restored->previous, 50000);
    hv.execute(SetCpuWeight{kVm, static_cast<std::uint32_t>(*weight->previous)});
    auto back = result_of(hv, TuneOp::CpuWeight);
    ASSERT_TRUE(back && back->ok) << (back ? back->error : "no result");
    EXPECT_EQ(back->previous, 200);
    std::cout << "[ measured ] libvirt reported cpu_shares " << *weight->previous << ", vcpu_quota "
              << *quota->previous << " / vcpu_period " << *quota->previous_period << " before the calls\n";
    hv.stop();
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
