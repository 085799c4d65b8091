// One hook at a time: libvirtd may start two domains at once, and two hooks reading and
// rewriting nr_hugepages side by side would each undo the other's count.
#pragma once

#include <optional>
#include <string>

#include "runtime_dir.h"
#include "util/fd.h"

namespace hotseat::hook {

class RuntimeLock {
public:
    // Waits for <runtime dir>/hook.lock (created when missing; a symlink there is refused).
    static std::optional<RuntimeLock> acquire(const RuntimeDir& dir, std::string* error);
    RuntimeLock(RuntimeLock&& other) noexcept = default;
    RuntimeLock(const RuntimeLock&) = delete;
    RuntimeLock& operator=(const RuntimeLock&) = delete;
    RuntimeLock& operator=(RuntimeLock&&) = delete;

private:
    explicit RuntimeLock(util::UniqueFd fd) : fd_(std::move(fd)) {}
    util::UniqueFd fd_;  // the lock is held while it is open
};

}  // namespace hotseat::hook
