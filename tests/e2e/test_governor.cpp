// The governor's libvirt calls against a real libvirtd with a real (tiny) QEMU guest: suspend
// and resume really pause and run QEMU; and the calls this sandbox cannot honour (it runs QEMU
// without cgroups, "cgroup_controllers = [ ]", so as not to touch the host's; the guest has no
// balloon device, like a passthrough VM) come back as libvirt's refusal while the guest runs on.
// cpu_shares / vcpu_quota on a cgroup-managed libvirtd are verified on hardware
// (docs/governor.md, checklist).
#include <iostream>

#include "e2e_fixture.h"
#include "libvirt/hypervisor.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

// The next TuneResult of `op`, draining the Hypervisor's fd until the deadline.
std::optional<TuneResult> result_of(libvirt::Hypervisor& hv, TuneOp op) {
    std::optional<TuneResult> found;
    wait_until(
        [&] {
            for (auto& event : hv.drain())
                if (auto* r = std::get_if<TuneResult>(&event); r && r->op == op && !found) found = *r;
            return found.has_value();
        },
        15s);
    return found;
}

TEST_F(E2e, GovernorCallsOnARealGuest) {
    Stopwatch watch("governor-calls");
    ASSERT_NO_FATAL_FAILURE(start({}));
    ASSERT_NO_FATAL_FAILURE(plug_and_boot(watch));

    libvirt::Hypervisor hv(libvirt_->uri(), {kVm});
    hv.start();
    hv.execute(SuspendDomain{kVm});
    auto suspend = result_of(hv, TuneOp::Suspend);
    ASSERT_TRUE(suspend && suspend->ok) << (suspend ? suspend->error : "no result") << libvirt_->logs();
    EXPECT_NE(libvirt_->virsh({"domstate", kVm}).find("paused"), std::string::npos);
    watch.lap("suspend");
    hv.execute(ResumeDomain{kVm});
    auto resume = result_of(hv, TuneOp::Resume);
    ASSERT_TRUE(resume && resume->ok) << (resume ? resume->error : "no result");
    EXPECT_NE(libvirt_->virsh({"domstate", kVm}).find("running"), std::string::npos);
    watch.lap("resume");

    hv.execute(SetCpuWeight{kVm, 50});
    auto weight = result_of(hv, TuneOp::CpuWeight);
    ASSERT_TRUE(weight);
    EXPECT_FALSE(weight->ok);
    EXPECT_NE(weight->error.find("cgroup CPU controller is not mounted"), std::string::npos) << weight->error;
    hv.execute(SetBalloon{kVm, 50});
    auto balloon = result_of(hv, TuneOp::Balloon);
    ASSERT_TRUE(balloon);
    EXPECT_FALSE(balloon->ok) << "the guest has no balloon device";
    EXPECT_NE(balloon->error, "");
    std::cout << "[ measured ] real libvirtd refusals: \"" << weight->error << "\"; \"" << balloon->error << "\"\n";
    EXPECT_NE(libvirt_->qemu_pid(kVm), 0) << "refused calls must leave the guest running";
    EXPECT_EQ(state(), "running");
    hv.stop();
    watch.print();
}

}  // namespace
}  // namespace hotseat::test
