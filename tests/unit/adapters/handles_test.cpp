// The owners of C handles (supervisor/util): each frees once, hands over on move, and keeps the
// caller's errno. Built against the header-only parts alone (hotseat_util, libsystemd): what the
// hook and the guest helper include.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "util/fd.h"
#include "util/handle.h"
#include "util/sd_handles.h"

namespace hotseat::util {
namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_null() {
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0) << std::strerror(errno);
    return fd;
}

TEST(UniqueFd, ClosesWhatItOwnsWhenItGoesOutOfScope) {
    int raw = open_null();
    {
        UniqueFd fd(raw);
        EXPECT_TRUE(fd);
        EXPECT_EQ(fd.get(), raw);
    }
    EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, AMoveHandsTheDescriptorOverAndClosesItOnce) {
    int raw = open_null();
    UniqueFd to;
    {
        UniqueFd from(raw);
        to = std::move(from);
        EXPECT_FALSE(from);
    }
    EXPECT_TRUE(is_open(raw)) << "the moved-from owner closed it";
    to.reset();
    EXPECT_FALSE(is_open(raw));
}

TEST(UniqueFd, ReleaseGivesItUpWithoutClosing) {
    int raw = open_null();
    {
        UniqueFd fd(raw);
        EXPECT_EQ(fd.release(), raw);
        EXPECT_FALSE(fd);
    }
    EXPECT_TRUE(is_open(raw));
    ::close(raw);
}

// A failure path sets errno, then drops its descriptor on the way out: the caller must still see
// the failure's errno, not close()'s (here close() fails with EBADF: the fd was closed behind
// the owner's back).
TEST(UniqueFd, ClosingKeepsErrno) {
    int raw = open_null();
    UniqueFd fd(raw);
    ::close(raw);
    errno = ENOENT;
    fd.reset();
    EXPECT_EQ(errno, ENOENT);
}

TEST(Dir, ClosesItsStream) {
    Dir dir(::opendir("/"));
    ASSERT_TRUE(dir);
    int raw = ::dirfd(dir.get());
    EXPECT_TRUE(is_open(raw));
    dir.reset();
    EXPECT_FALSE(is_open(raw));
}

int count_call(sd_event_source*, void* calls) {
    ++*static_cast<int*>(calls);
    return 0;
}

// The loop (or a dispatch in progress) may hold its own reference: dropping the owner must also
// disable the source, or its callback runs for a dead owner.
TEST(EventSource, ACallbackNeverRunsAfterItsOwnerDropsIt) {
    EventLoop loop;
    ASSERT_GE(sd_event_new(out_ptr(loop)), 0);
    int calls = 0;
    EventSource source;
    ASSERT_GE(sd_event_add_defer(loop.get(), out_ptr(source), count_call, &calls), 0);
    sd_event_source* still_held = sd_event_source_ref(source.get());
    source.reset();
    ASSERT_GE(sd_event_run(loop.get(), 0), 0);
    EXPECT_EQ(calls, 0);
    sd_event_source_unref(still_held);
}

TEST(OutPtr, ReceivesANewReferenceAndDropsTheOldOne) {
    EventLoop loop;
    ASSERT_GE(sd_event_new(out_ptr(loop)), 0);
    int first = 0, second = 0;
    EventSource source;
    ASSERT_GE(sd_event_add_defer(loop.get(), out_ptr(source), count_call, &first), 0);
    sd_event_source* old = source.get();
    ASSERT_GE(sd_event_add_defer(loop.get(), out_ptr(source), count_call, &second), 0);
    EXPECT_NE(source.get(), old);
    ASSERT_GE(sd_event_run(loop.get(), 0), 0);
    EXPECT_EQ(first, 0) << "the replaced source still fires";
    EXPECT_EQ(second, 1);
}

TEST(Check, PassesAValueAndThrowsANegativeErrno) {
    EXPECT_EQ(check(3, "three"), 3);
    try {
        check(-EACCES, "sd_event_add_io");
        FAIL() << "no exception";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), EACCES);
        EXPECT_NE(std::string(e.what()).find("sd_event_add_io"), std::string::npos) << e.what();
    }
}

TEST(BusError, SaysThePeersMessageElseErrnosText) {
    BusError named;
    sd_bus_error_set(&named.error, "org.example.Error.Failed", "the peer says no");
    EXPECT_EQ(named.text(-EIO), "the peer says no");
    BusError empty;
    EXPECT_EQ(empty.text(-EIO), std::strerror(EIO));
}

}  // namespace
}  // namespace hotseat::util
