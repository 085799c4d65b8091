// The judgement behind `--wait` (ctl/vm_follower.cpp), case by case: when a VM counts as
// settled, and what is printed on the way. The daemon tests cannot hold a VM mid-transition
// (libvirt's test driver answers at once), so the cases that need one are here.
#include <gtest/gtest.h>

#include <sstream>

#include "vm_follower.h"

namespace hotseat::ctl {
namespace {

VmSnapshot vm_in(const std::string& state) {
    VmSnapshot vm;
    vm.name = "arch-desktop";
    vm.state = state;
    return vm;
}

PropertyMap change(std::initializer_list<std::pair<const char*, const char*>> values) {
    PropertyMap out;
    for (const auto& [name, value] : values) out[name] = sdbus::Variant(std::string(value));
    return out;
}

TEST(CtlWaitJudge, WantedStateIsReachedWhetherOrNotTheVmMoved) {
    EXPECT_EQ(judge("running", "running", false), Verdict::Reached);
    EXPECT_EQ(judge("off", "off", true), Verdict::Reached);
}

TEST(CtlWaitJudge, TransitionalStatesKeepWaiting) {
    EXPECT_EQ(judge("running", "starting", true), Verdict::Waiting);
    EXPECT_EQ(judge("off", "stopping", true), Verdict::Waiting);
    EXPECT_EQ(judge("running", "stopping", true), Verdict::Waiting);
}

TEST(CtlWaitJudge, TheOldStateIsNotAFailureBeforeTheVmMoved) {
    EXPECT_EQ(judge("running", "off", false), Verdict::Waiting);
    EXPECT_EQ(judge("running", "failed", false), Verdict::Waiting);
}

TEST(CtlWaitJudge, ASettledOtherStateAfterMovingIsMissed) {
    EXPECT_EQ(judge("running", "failed", true), Verdict::Missed);
    EXPECT_EQ(judge("running", "off", true), Verdict::Missed);
    EXPECT_EQ(judge("off", "running", true), Verdict::Missed);
}

TEST(CtlWaitJudge, WantedStatePerMethod) {
    EXPECT_EQ(wanted_state("Start", "off"), "running");
    EXPECT_EQ(wanted_state("Stop", "running"), "off");
    EXPECT_EQ(wanted_state("ForceStop", "stopping"), "off");
    EXPECT_EQ(wanted_state("Toggle", "running"), "off");
    EXPECT_EQ(wanted_state("Toggle", "starting"), "off");
    EXPECT_EQ(wanted_state("Toggle", "off"), "running");
    EXPECT_EQ(wanted_state("Toggle", "failed"), "running");
}

TEST(CtlWaitFollower, PrintsEachStateAndStepChangeOnce) {
    std::ostringstream out;
    VmFollower follower(vm_in("off"), "running", out);
    follower.apply(change({{"State", "starting"}, {"Step", "preparing"}}));
    follower.apply(change({{"Reason", "dbus:Start uid=0"}}));  // neither State nor Step: no line
    follower.apply(change({{"Step", "starting the domain"}}));
    EXPECT_EQ(follower.verdict(), Verdict::Waiting);
    follower.apply(change({{"State", "running"}, {"Step", ""}}));
    follower.print_current();  // the last line again: not repeated
    EXPECT_EQ(follower.verdict(), Verdict::Reached);
    EXPECT_EQ(out.str(),
              "arch-desktop: starting (preparing)\n"
              "arch-desktop: starting (starting the domain)\n"
              "arch-desktop: running\n");
}

TEST(CtlWaitFollower, AFailedStartIsMissedWithItsError) {
    std::ostringstream out;
    VmFollower follower(vm_in("off"), "running", out);
    follower.apply(change({{"State", "starting"}}));
    follower.apply(change({{"State", "failed"}, {"LastError", "hook refused: no hugepages"}}));
    EXPECT_EQ(follower.verdict(), Verdict::Missed);
    EXPECT_EQ(follower.last_error(), "hook refused: no hugepages");
}

TEST(CtlWaitFollower, StillStartingWhenNothingMoreArrives) {
    std::ostringstream out;
    VmFollower follower(vm_in("failed"), "running", out);
    EXPECT_EQ(follower.verdict(), Verdict::Waiting);  // the old failure is not this request's
    follower.apply(change({{"State", "starting"}}));
    EXPECT_EQ(follower.verdict(), Verdict::Waiting);
    EXPECT_EQ(follower.state(), "starting");
}

}  // namespace
}  // namespace hotseat::ctl
