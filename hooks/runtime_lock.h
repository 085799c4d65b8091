// One hook at a time: libvirtd may start two domains at once, and two hooks reading and
// rewriting nr_hugepages side by side would each undo the other's count.
#pragma once

#include <optional>
#include <string>

#include "runtime_dir.h"

namespace hotseat::hook {

class RuntimeLock {
public:
    // Waits for <runtime dir>/hook.lock (created when missing; a symlink there is refused).
    static std::optional<RuntimeLock> acquire(const RuntimeDir& dir, std::string* error);
    ~RuntimeLock();
    RuntimeLock(RuntimeLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    RuntimeLock(const RuntimeLock&) = delete;
    RuntimeLock& operator=(const RuntimeLock&) = delete;
    RuntimeLock& operator=(RuntimeLock&&) = delete;

private:
    explicit RuntimeLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace hotseat::hook
