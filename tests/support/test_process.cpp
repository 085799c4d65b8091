// The harness's own children (process.h): a child forked from a test process must reach exec
// whatever the test's other threads hold at the moment of the fork. A test process runs under
// umockdev's preload, which wraps open(), connect() and other calls behind one process-wide lock
// (its exported `trap_path_lock`), and has threads of its own (GLib's, the testbed's). When one
// of them holds that lock as the test forks, the child inherits it locked with no thread left to
// unlock it: a child that calls a wrapped function before exec waits for ever, its program never
// starts, and the test outlives its ctest TIMEOUT without a word (a hotseatd with an empty log).
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "process.h"

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

// While armed, every fork of this process happens with `lock` held by another thread, taken
// just before the fork and given back right after it in the parent: the worst moment a
// testbed thread could choose, made certain.
class ForkWhileLocked {
public:
    explicit ForkWhileLocked(pthread_mutex_t* lock) : lock_(lock), holder_([this] { hold(); }) {
        static std::once_flag registered;
        std::call_once(registered, [] { pthread_atfork(&prepare, &parent, nullptr); });
        armed_ = this;
    }
    ~ForkWhileLocked() {
        armed_ = nullptr;
        {
            std::lock_guard guard(mutex_);
            ending_ = true;
        }
        changed_.notify_all();
        holder_.join();
    }

private:
    static void prepare() {
        if (armed_) armed_->set_held(true);
    }
    static void parent() {
        if (armed_) armed_->set_held(false);
    }

    void set_held(bool held) {
        std::unique_lock guard(mutex_);
        want_held_ = held;
        changed_.notify_all();
        changed_.wait(guard, [&] { return held_ == held; });
    }

    void hold() {
        std::unique_lock guard(mutex_);
        while (true) {
            changed_.wait(guard, [&] { return ending_ || want_held_ != held_; });
            if (ending_) return;
            if (want_held_)
                pthread_mutex_lock(lock_);
            else
                pthread_mutex_unlock(lock_);
            held_ = want_held_;
            changed_.notify_all();
        }
    }

    static inline ForkWhileLocked* armed_ = nullptr;
    pthread_mutex_t* lock_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool want_held_ = false;
    bool held_ = false;
    bool ending_ = false;
    std::thread holder_;
};

TEST(ProcessSpawn, ReachesExecWhileAnotherThreadHoldsUmockdevsLock) {
    auto* lock = static_cast<pthread_mutex_t*>(dlsym(RTLD_DEFAULT, "trap_path_lock"));
    ASSERT_NE(lock, nullptr) << "needs umockdev's preload (LD_PRELOAD=libumockdev-preload.so.0)";
    ForkWhileLocked forks(lock);
    // No output files: the child inherits stdout and stderr, so its only set-up is the harness's own.
    Process child(Process::Options{{"true"}, {}, "", ""});
    EXPECT_EQ(child.wait(20s), 0) << "the child never ran `true`: it called a function umockdev wraps "
                                     "between fork and exec";
}

}  // namespace
}  // namespace hotseat::test
