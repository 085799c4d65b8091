#include "fake_hugepage_kernel.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "process.h"

namespace hotseat::test {
namespace {

constexpr auto kStepTimeout = std::chrono::seconds(10);

}  // namespace

FakeHugepageKernel::FakeHugepageKernel(std::string fifo_path, std::uint64_t pages, std::uint64_t capacity,
                                       std::vector<Access> script)
    : path_(std::move(fifo_path)), pages_(pages), capacity_(capacity), script_(std::move(script)) {
    ::unlink(path_.c_str());
    if (::mkfifo(path_.c_str(), 0644) != 0) throw std::runtime_error("mkfifo " + path_ + " failed");
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0 || ::inotify_add_watch(inotify_fd_, path_.c_str(), IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0)
        throw std::runtime_error("cannot watch " + path_);
    thread_ = std::thread([this] { run(); });
}

FakeHugepageKernel::~FakeHugepageKernel() {
    stop_ = true;
    thread_.join();
    ::close(inotify_fd_);
}

// Every step opens the FIFO twice (ours and the hook's) and closes it twice. The close events
// alternate between a writer's and a reader's, so inotify never merges two of them.
bool FakeHugepageKernel::previous_steps_closed(std::size_t step) {
    auto all_closed = [&] {
        alignas(inotify_event) char buffer[4096];
        ssize_t n;
        while ((n = ::read(inotify_fd_, buffer, sizeof buffer)) > 0) {
            for (ssize_t offset = 0; offset < n;) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
                if (event->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) ++closes_;
                offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        return closes_ >= 2 * step || stop_;
    };
    return wait_until(all_closed, kStepTimeout) && !stop_;
}

void FakeHugepageKernel::fail(const std::string& why) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failure_.empty()) failure_ = why;
}

void FakeHugepageKernel::run() {
    for (std::size_t i = 0; i < script_.size(); ++i) {
        bool served = previous_steps_closed(i);
        deadline_ = std::chrono::steady_clock::now() + kStepTimeout;
        served = served && (script_[i] == Access::Read ? serve_read() : serve_write());
        if (!served) {
            fail("step " + std::to_string(i + 1) + " (" + (script_[i] == Access::Read ? "a read" : "a write") +
                 " of nr_hugepages) never came");
            break;
        }
    }
    done_ = true;
}

// The hook opens the attribute to read: give it the pool size, wait until it has taken every
// byte (so that no later open of ours can steal them), then close so it sees the end.
bool FakeHugepageKernel::serve_read() {
    int fd = -1;
    auto opened = [&] {
        fd = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);  // ENXIO until a reader opens
        return fd >= 0 || stop_;
    };
    if (!wait_until(opened, kStepTimeout) || fd < 0) return false;
    std::string value = std::to_string(pages_.load()) + "\n";
    bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
    auto drained = [&] {
        int unread = 0;
        return stop_ || (::ioctl(fd, FIONREAD, &unread) == 0 && unread == 0);
    };
    ok = ok && wait_until(drained, kStepTimeout) && !stop_;
    ::close(fd);
    return ok;
}

// The hook opens the attribute to write: read what it asks for until it closes, then store
// what the kernel would have managed to allocate.
bool FakeHugepageKernel::serve_write() {
    int fd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    std::string value;
    bool closed = false;
    while (!closed && !stop_ && std::chrono::steady_clock::now() < deadline_) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        char buffer[64];
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0)
            value.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0)
            closed = true;
    }
    ::close(fd);
    if (!closed) return false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        written_.push_back(value);
    }
    std::uint64_t asked = std::strtoull(value.c_str(), nullptr, 10);
    pages_ = asked > capacity_ ? capacity_ : asked;
    return true;
}

std::string FakeHugepageKernel::finish(std::chrono::milliseconds timeout) {
    if (!wait_until([this] { return done_.load(); }, timeout)) return "the script did not end in time";
    std::lock_guard<std::mutex> lock(mutex_);
    return failure_;
}

std::vector<std::string> FakeHugepageKernel::written() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_;
}

}  // namespace hotseat::test
