// One hook at a time: libvirtd may start two domains at once, and two hooks reading and
// rewriting nr_hugepages side by side would each undo the other's count.
#pragma once

#include <optional>
#include <string>

namespace hotseat::hook {

class RuntimeLock {
public:
    // Creates the runtime directory when missing and waits for <dir>/hook.lock.
    static std::optional<RuntimeLock> acquire(const std::string& runtime_dir, std::string* error);
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
