// LifecycleTranslator: libvirt's (event, detail) pairs in the orders real drivers send them.
#include <gtest/gtest.h>
#include <libvirt/libvirt.h>

#include "libvirt/lifecycle.h"

namespace hotseat::libvirt {
namespace {

using Kind = DomainLifecycle::Kind;
const std::string vm = "arch-desktop";

TEST(LifecycleTranslator, StartedCarriesTheDetailWord) {
    LifecycleTranslator t;
    auto started = t.translate(vm, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ASSERT_TRUE(started);
    EXPECT_EQ(started->vm, vm);
    EXPECT_EQ(started->kind, Kind::Started);
    EXPECT_EQ(started->detail, "booted");
    EXPECT_EQ(t.translate(vm, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED)->detail, "restored");
}

TEST(LifecycleTranslator, EventsTheEngineDoesNotNeedAreDropped) {
    LifecycleTranslator t;
    EXPECT_FALSE(t.translate(vm, VIR_DOMAIN_EVENT_DEFINED, 0));
    EXPECT_FALSE(t.translate(vm, VIR_DOMAIN_EVENT_RESUMED, 0));
    EXPECT_FALSE(t.translate(vm, VIR_DOMAIN_EVENT_SUSPENDED, 0));
    EXPECT_FALSE(t.translate(vm, VIR_DOMAIN_EVENT_UNDEFINED, 0));
    EXPECT_FALSE(t.translate(vm, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_GUEST));
}

TEST(LifecycleTranslator, PmsuspendedIsSuspendedToMemoryOrDisk) {
    LifecycleTranslator t;
    auto memory = t.translate(vm, VIR_DOMAIN_EVENT_PMSUSPENDED, VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY);
    ASSERT_TRUE(memory);
    EXPECT_EQ(memory->kind, Kind::Suspended);
    EXPECT_EQ(memory->detail, "memory");
    auto woken = t.translate(vm, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_WAKEUP);
    ASSERT_TRUE(woken);
    EXPECT_EQ(woken->kind, Kind::Started);
    EXPECT_EQ(woken->detail, "wakeup");
    // S4 (QEMU's SUSPEND_DISK), then the guest's own shutdown: what a hibernation looks like.
    auto disk = t.translate(vm, VIR_DOMAIN_EVENT_PMSUSPENDED, VIR_DOMAIN_EVENT_PMSUSPENDED_DISK);
    ASSERT_TRUE(disk);
    EXPECT_EQ(disk->kind, Kind::Suspended);
    EXPECT_EQ(disk->detail, "disk");
    t.translate(vm, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
    auto stopped = t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->kind, Kind::Stopped);
}

TEST(LifecycleTranslator, GuestPoweroffIsByGuest) {
    LifecycleTranslator t;
    t.translate(vm, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
    auto stopped = t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->kind, Kind::Stopped);
    EXPECT_EQ(stopped->detail, "shutdown");
    EXPECT_TRUE(stopped->by_guest);
}

TEST(LifecycleTranslator, UnaskedShutdownWithoutShutdownEventIsByGuest) {
    LifecycleTranslator t;
    auto stopped = t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    ASSERT_TRUE(stopped);
    EXPECT_TRUE(stopped->by_guest);
}

TEST(LifecycleTranslator, ShutdownHotseatAskedForIsNotByGuest) {
    LifecycleTranslator t;
    t.shutdown_requested(vm);
    // ACPI: the guest powers itself off in answer, so QEMU says GUEST.
    t.translate(vm, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_GUEST);
    auto stopped = t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    ASSERT_TRUE(stopped);
    EXPECT_FALSE(stopped->by_guest);
    // The request is used up: the next guest poweroff is the guest's again.
    t.translate(vm, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    EXPECT_TRUE(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)->by_guest);
}

TEST(LifecycleTranslator, AFailedShutdownRequestDoesNotCount) {
    LifecycleTranslator t;
    t.shutdown_requested(vm);
    t.shutdown_request_failed(vm);
    EXPECT_TRUE(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)->by_guest);
}

TEST(LifecycleTranslator, ARequestIsPerDomain) {
    LifecycleTranslator t;
    t.shutdown_requested("other");
    EXPECT_TRUE(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)->by_guest);
}

TEST(LifecycleTranslator, HostShutdownIsNotByGuest) {
    LifecycleTranslator t;
    t.translate(vm, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    EXPECT_FALSE(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN)->by_guest);
}

TEST(LifecycleTranslator, DestroyIsStoppedDestroyed) {
    LifecycleTranslator t;
    t.translate(vm, VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST);
    auto stopped = t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->kind, Kind::Stopped);
    EXPECT_EQ(stopped->detail, "destroyed");
    EXPECT_FALSE(stopped->by_guest);
}

TEST(LifecycleTranslator, OtherStopDetailsAreNamed) {
    LifecycleTranslator t;
    EXPECT_EQ(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_MIGRATED)->detail, "migrated");
    EXPECT_EQ(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED)->detail, "saved");
    EXPECT_EQ(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FAILED)->detail, "failed");
    EXPECT_EQ(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT)->detail,
              "from-snapshot");
    EXPECT_EQ(t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, 99)->detail, "unknown");
}

TEST(LifecycleTranslator, CrashesAreCrashed) {
    LifecycleTranslator t;
    auto panicked = t.translate(vm, VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    ASSERT_TRUE(panicked);
    EXPECT_EQ(panicked->kind, Kind::Crashed);
    EXPECT_EQ(panicked->detail, "panicked");
    auto stopped = t.translate(vm, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->kind, Kind::Crashed);
    EXPECT_EQ(stopped->detail, "crashed");
    EXPECT_FALSE(stopped->by_guest);
}

}  // namespace
}  // namespace hotseat::libvirt
