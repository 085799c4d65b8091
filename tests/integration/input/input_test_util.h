// Shared pieces of the input adapter's tests: a real sd-event loop run until a condition holds,
// a recorder for the events the adapter emits, stderr capture (the shell logs there) and a way
// to lose root's permission bypass on this thread (to meet EACCES as an unprivileged reader).
#pragma once

#include <linux/capability.h>
#include <sys/syscall.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "event_recorder.h"
#include "hotseat/events.h"

namespace hotseat::input::test {

class EventLoop {
public:
    EventLoop() {
        if (sd_event_new(&loop_) < 0) throw std::runtime_error("sd_event_new failed");
    }
    ~EventLoop() { sd_event_unref(loop_); }
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    sd_event* get() const { return loop_; }

    // Dispatches events until `done` holds; false when the deadline passes first.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline -
                                                                              std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            if (sd_event_run(loop_, static_cast<std::uint64_t>(left.count())) < 0) return false;
        }
        return true;
    }

    // Dispatches whatever comes for `period`: to show that something does NOT happen.
    void run_for(std::chrono::milliseconds period) {
        run_until([] { return false; }, period);
    }

private:
    sd_event* loop_ = nullptr;
};

struct Key {
    std::string node;
    std::uint16_t code = 0;
    std::int32_t value = 0;
    bool operator==(const Key&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const Key& k) {
    return out << "{" << k.node << " " << k.code << " " << k.value << "}";
}

// The event recorder of tests/support, with the questions the keyboard tests ask of it.
class Recorder : public hotseat::test::EventRecorder {
public:
    std::vector<Key> keys() const {
        std::vector<Key> out;
        for (const auto& k : all<KeyEvent>()) out.push_back(Key{k.node, k.code, k.value});
        return out;
    }
    bool added(const std::string& node) const {
        for (const auto& a : all<KeyboardAdded>())
            if (a.node == node) return true;
        return false;
    }
    bool removed(const std::string& node) const {
        for (const auto& r : all<KeyboardRemoved>())
            if (r.node == node) return true;
        return false;
    }
};

// Sends fd 2 to a file while it lives; what was written there is printed again on destruction,
// so a failing test still shows it.
class StderrCapture {
public:
    StderrCapture() {
        std::fflush(stderr);
        file_ = std::tmpfile();
        if (!file_) throw std::runtime_error("tmpfile failed");
        saved_ = ::dup(STDERR_FILENO);
        ::dup2(fileno(file_), STDERR_FILENO);
    }
    ~StderrCapture() {
        std::string captured = text();
        std::fflush(stderr);
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
        std::fclose(file_);
        ssize_t ignored = ::write(STDERR_FILENO, captured.data(), captured.size());
        (void)ignored;
    }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    std::string text() const {
        std::string out;
        char buffer[4096];
        for (off_t at = 0;;) {
            ssize_t n = ::pread(fileno(file_), buffer, sizeof buffer, at);
            if (n <= 0) break;
            out.append(buffer, static_cast<std::size_t>(n));
            at += n;
        }
        return out;
    }
    std::size_t count(const std::string& needle) const {
        std::string all = text();
        std::size_t n = 0;
        for (auto at = all.find(needle); at != std::string::npos; at = all.find(needle, at + 1)) ++n;
        return n;
    }

private:
    std::FILE* file_ = nullptr;
    int saved_ = -1;
};

// While it lives, this thread has no CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH in its effective set:
// open(2) then honours file modes even for root, as it does for hotseatd running as a dedicated
// user. Capabilities are per thread, so the umockdev worker threads keep theirs.
class WithoutDacOverride {
public:
    WithoutDacOverride() {
        if (syscall(SYS_capget, &header_, saved_) != 0) throw std::runtime_error("capget failed");
        __user_cap_data_struct reduced[2] = {saved_[0], saved_[1]};
        reduced[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
        if (syscall(SYS_capset, &header_, reduced) != 0) throw std::runtime_error("capset failed");
    }
    ~WithoutDacOverride() { syscall(SYS_capset, &header_, saved_); }
    WithoutDacOverride(const WithoutDacOverride&) = delete;
    WithoutDacOverride& operator=(const WithoutDacOverride&) = delete;

private:
    __user_cap_header_struct header_{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct saved_[2]{};
};

}  // namespace hotseat::input::test
