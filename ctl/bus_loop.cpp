#include "bus_loop.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <sdbus-c++/IConnection.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "dbus/sdbus_compat.h"
#include "failure.h"
#include "util/handles.h"

namespace hotseat::ctl {
namespace {

using Clock = std::chrono::steady_clock;

// SIGINT and SIGTERM as a readable fd while it lives; the previous mask comes back afterwards.
class InterruptFd {
public:
    InterruptFd() {
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        sigprocmask(SIG_BLOCK, &signals, &previous_);
        fd_.reset(signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!fd_) throw Failure(kFailed, std::string("signalfd: ") + std::strerror(errno));
    }
    ~InterruptFd() {
        fd_.reset();
        sigprocmask(SIG_SETMASK, &previous_, nullptr);
    }
    InterruptFd(const InterruptFd&) = delete;
    InterruptFd& operator=(const InterruptFd&) = delete;
    int fd() const { return fd_.get(); }
    // Takes the pending signal, so that it is not delivered once the mask is restored.
    void consume() {
        signalfd_siginfo info{};
        while (read(fd_.get(), &info, sizeof info) == sizeof info) {}
    }

private:
    util::UniqueFd fd_;
    sigset_t previous_{};
};

// Milliseconds until the earlier of the bus's own timeout (absolute CLOCK_MONOTONIC µs, which is
// steady_clock on Linux) and the caller's deadline; -1 for none.
int poll_timeout_ms(const std::optional<std::uint64_t>& bus_timeout_us,
                    const std::optional<Clock::time_point>& deadline) {
    std::optional<Clock::time_point> until = deadline;
    if (bus_timeout_us) {
        Clock::time_point bus_until{std::chrono::microseconds(*bus_timeout_us)};
        if (!until || bus_until < *until) until = bus_until;
    }
    if (!until) return -1;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*until - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, std::numeric_limits<int>::max()));
}

bool dispatch_pending(sdbus::IConnection& connection, const std::function<bool()>& done) {
    try {
        while (dbus::sdbus_compat::process_pending(connection))
            if (done()) return true;
    } catch (const sdbus::Error& e) {
        throw Failure(kUnreachable, "lost the system bus connection: " + e.getMessage());
    }
    return done();
}

}  // namespace

LoopEnd run_bus_loop(sdbus::IConnection& connection, const std::function<bool()>& done, const LoopOptions& options) {
    std::optional<InterruptFd> interrupts;
    if (options.stop_on_interrupt) interrupts.emplace();
    while (true) {
        if (dispatch_pending(connection, done)) return LoopEnd::Done;
        if (options.deadline && Clock::now() >= *options.deadline) return LoopEnd::DeadlinePassed;
        // poll(2) skips negative fds: no interrupt fd without stop_on_interrupt, no event fd on 1.x.
        auto bus = dbus::sdbus_compat::poll_data(connection);
        pollfd fds[3] = {
            {bus.fd, bus.events, 0}, {interrupts ? interrupts->fd() : -1, POLLIN, 0}, {bus.event_fd, POLLIN, 0}};
        int r = poll(fds, 3, poll_timeout_ms(bus.timeout_us, options.deadline));
        if (r < 0 && errno != EINTR) throw Failure(kFailed, std::string("poll: ") + std::strerror(errno));
        if (r > 0 && (fds[1].revents & POLLIN)) {
            interrupts->consume();
            return LoopEnd::Interrupted;
        }
    }
}

}  // namespace hotseat::ctl
