// The generic half of the one vocabulary for C handles (handles.h): an owning pointer that frees
// with the one function its library names, what a C library malloc'd for us, the out-parameter
// adapter and one check() for libsystemd's negative-errno convention. libc and the standard
// library only, so programs that link none of the daemon's libraries (the hook, the guest
// helper) use the same names.
#pragma once

#include <cstdlib>
#include <memory>
#include <system_error>

namespace hotseat::util {

// A deleter calling Free: Handle<T, Free> is a std::unique_ptr<T> that frees with Free.
template <auto Free>
struct FreeWith {
    template <typename T>
    void operator()(T* p) const {
        Free(p);
    }
};
template <typename T, auto Free>
using Handle = std::unique_ptr<T, FreeWith<Free>>;

// What a C library allocated with malloc for the caller to free (virDomainGetXMLDesc's XML,
// sd_bus_path_decode's name, virDomainGetSchedulerType's type, ...).
struct FreeMalloced {
    void operator()(void* p) const { std::free(p); }
};
template <typename T>
using Malloced = std::unique_ptr<T, FreeMalloced>;

// For the C functions that hand a new reference out through a T** (sd_event_add_io(loop, &source,
// ...)): out_ptr(handle) receives it into `handle`, dropping what `handle` held before.
template <typename Smart>
class OutPtr {
public:
    using Pointer = typename Smart::pointer;
    explicit OutPtr(Smart& smart) : smart_(smart) {}
    OutPtr(const OutPtr&) = delete;
    OutPtr& operator=(const OutPtr&) = delete;
    ~OutPtr() { smart_.reset(raw_); }
    operator Pointer*() { return &raw_; }

private:
    Smart& smart_;
    Pointer raw_ = nullptr;
};
template <typename Smart>
OutPtr<Smart> out_ptr(Smart& smart) {
    return OutPtr<Smart>(smart);
}

// libsystemd's (and the kernel's) convention: a negative errno is a failure. Returns the value
// when it is not, throws std::system_error naming `what` when it is.
inline int check(int result, const char* what) {
    if (result < 0) throw std::system_error(-result, std::generic_category(), what);
    return result;
}

}  // namespace hotseat::util
