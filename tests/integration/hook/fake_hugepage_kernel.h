// The kernel behind nr_hugepages, played by the test: a plain file keeps whatever is written,
// but the kernel stores only what it could allocate. The attribute becomes a FIFO and a thread
// answers each open in the order the test expects — a read gets the pool size, a write asks
// for a size and the pool grows to at most `capacity` pages. The hook cannot tell it from a
// file; the test learns every value written and that the reads and writes came in this order.
// (A hook that does something else leaves the script waiting: finish() then reports it.)
// Each step starts only once both ends of the previous one are closed (inotify counts the
// closes): a reader of the hook that is still open after its end of file would otherwise
// receive the next step's answer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hotseat::test {

class FakeHugepageKernel {
public:
    enum class Access { Read, Write };

    // Replaces the file at `fifo_path` (a test bed path, not a /sys one) with a FIFO.
    FakeHugepageKernel(std::string fifo_path, std::uint64_t pages, std::uint64_t capacity, std::vector<Access> script);
    ~FakeHugepageKernel();
    FakeHugepageKernel(const FakeHugepageKernel&) = delete;
    FakeHugepageKernel& operator=(const FakeHugepageKernel&) = delete;

    // Waits for the script to end; an empty string when every step was served, else what went wrong.
    std::string finish(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    std::vector<std::string> written() const;  // the values the hook wrote, in order
    std::uint64_t pages() const { return pages_; }

private:
    void run();
    bool previous_steps_closed(std::size_t step);
    bool serve_read();
    bool serve_write();
    void fail(const std::string& why);

    std::string path_;
    int inotify_fd_ = -1;
    std::size_t closes_ = 0;
    std::atomic<std::uint64_t> pages_;
    std::uint64_t capacity_;
    std::vector<Access> script_;
    std::chrono::steady_clock::time_point deadline_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> done_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> written_;
    std::string failure_;
    std::thread thread_;
};

}  // namespace hotseat::test
