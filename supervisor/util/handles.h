// One vocabulary for the C handles the adapters hold (like GLib's g_autoptr): each is freed by
// its owner's destructor, on every return and exception path, with the one function its library
// says frees it. A raw sd_event_source*, virDomainPtr, udev_device* or fd that some code path
// frees by hand is what these replace.
//
//   UniqueFd fd(open(...));                     closed once, by ~UniqueFd
//   EventSource source;                         sd_event_source_disable_unref: a callback never
//   sd_event_add_io(loop, out_ptr(source), ...)   runs after its owner is gone
//   VirDomain domain(virDomainLookupByName(...)); virDomainFree
//   Malloced<char> xml(virDomainGetXMLDesc(...)); free() for what a C library malloc'd for us
//   check(sd_event_add_time(...), "sd_event_add_time");   negative errno -> std::system_error
#pragma once

#include <libudev.h>
#include <libvirt/libvirt.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <system_error>
#include <utility>

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

// sd-event and sd-bus. A source is disabled as well as unreferenced: the loop may still hold a
// reference to it (a dispatch in progress), and its callback must not run for a dead owner.
using EventLoop = Handle<sd_event, sd_event_unref>;
using EventSource = Handle<sd_event_source, sd_event_source_disable_unref>;
using Bus = Handle<sd_bus, sd_bus_flush_close_unref>;
using BusMessage = Handle<sd_bus_message, sd_bus_message_unref>;

// libvirt.
using VirConnect = Handle<virConnect, virConnectClose>;
using VirDomain = Handle<virDomain, virDomainFree>;

// libudev.
using Udev = Handle<struct udev, udev_unref>;
using UdevMonitor = Handle<udev_monitor, udev_monitor_unref>;
using UdevEnumerate = Handle<udev_enumerate, udev_enumerate_unref>;
using UdevDevice = Handle<udev_device, udev_device_unref>;

// What a C library allocated with malloc for the caller to free (virDomainGetXMLDesc's XML,
// sd_bus_path_decode's name, virDomainGetSchedulerType's type, ...).
struct FreeMalloced {
    void operator()(void* p) const { std::free(p); }
};
template <typename T>
using Malloced = std::unique_ptr<T, FreeMalloced>;

// A file descriptor, closed once by its last owner.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    // Gives the descriptor up without closing it.
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

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
