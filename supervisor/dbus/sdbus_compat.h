// Everything that differs between sdbus-c++ 1.x (>= 1.2) and 2.x, in one place (docs/building.md
// "sdbus-c++ 1.x and 2.x"). HOTSEAT_SDBUS_MAJOR comes from cmake/HotseatSdbus.cmake, which also
// makes dbus/ generate the glue with the same version's xml2cpp. The daemon, the tests and the
// benchmarks use this; hotseatctl's proxies add ctl/proxy_compat.h.
//
// 2.x replaced strings by strong name types with explicit constructors (ServiceName,
// InterfaceName, MemberName/PropertyName, Error::Name), renamed processPendingRequest() to
// processPendingEvent(), gave PollData a std::chrono timeout and an extra event fd that must be
// polled too, returns getCurrentlyProcessedMessage() by value, hands match callbacks the Message
// by value, makes addMatch() without return_slot a floating match, reports async call errors as
// std::optional<Error>, and dropped IProxy::finishRegistration() (handlers are live at once).
#pragma once

#include <sys/types.h>

#include <sdbus-c++/sdbus-c++.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#ifndef HOTSEAT_SDBUS_MAJOR
#error "HOTSEAT_SDBUS_MAJOR is not defined: link the hotseat_sdbus target (cmake/HotseatSdbus.cmake)"
#endif

namespace hotseat::dbus::sdbus_compat {

#if HOTSEAT_SDBUS_MAJOR >= 2
using ServiceName = sdbus::ServiceName;
using InterfaceName = sdbus::InterfaceName;
using MethodName = sdbus::MethodName;
using PropertyName = sdbus::PropertyName;
using ErrorName = sdbus::Error::Name;
// The first argument of an uponReplyInvoke() callback.
using AsyncCallError = std::optional<sdbus::Error>;
#else
using ServiceName = std::string;
using InterfaceName = std::string;
using MethodName = std::string;
using PropertyName = std::string;
using ErrorName = std::string;
using AsyncCallError = const sdbus::Error*;
#endif

inline sdbus::Error error(const std::string& name, std::string message) {
    return sdbus::Error(ErrorName{name}, std::move(message));
}

// What an external loop polls before it calls process_pending(): `fd` for `events`, `event_fd`
// (2.x only; -1 on 1.x) for POLLIN, and at most until `timeout_us` (absolute CLOCK_MONOTONIC µs;
// none: no timeout). Ask again before every poll.
struct PollData {
    int fd = -1;
    short events = 0;
    std::optional<std::uint64_t> timeout_us;
    int event_fd = -1;
};

inline PollData poll_data(const sdbus::IConnection& connection) {
    auto raw = connection.getEventLoopPollData();
    PollData out;
    out.fd = raw.fd;
    out.events = raw.events;
#if HOTSEAT_SDBUS_MAJOR >= 2
    if (raw.timeout != std::chrono::microseconds::max())
        out.timeout_us = static_cast<std::uint64_t>(raw.timeout.count());
    out.event_fd = raw.eventFd;
#else
    if (raw.timeout_usec != UINT64_MAX) out.timeout_us = raw.timeout_usec;
#endif
    return out;
}

// Processes one queued event (message in or out, timeout); false when there was none. Also
// clears 2.x's event fd.
inline bool process_pending(sdbus::IConnection& connection) {
#if HOTSEAT_SDBUS_MAJOR >= 2
    return connection.processPendingEvent();
#else
    return connection.processPendingRequest();
#endif
}

inline void request_name(sdbus::IConnection& connection, const std::string& name) {
    connection.requestName(ServiceName{name});
}

inline std::unique_ptr<sdbus::IProxy> create_proxy(sdbus::IConnection& connection, const std::string& destination,
                                                   const std::string& path) {
    return sdbus::createProxy(connection, ServiceName{destination}, sdbus::ObjectPath{path});
}

// 1.x collects a raw proxy's signal handlers until this call; 2.x has them live already.
inline void finish_registration([[maybe_unused]] sdbus::IProxy& proxy) {
#if HOTSEAT_SDBUS_MAJOR < 2
    proxy.finishRegistration();
#endif
}

// The sender of the method call being handled, as the bus daemon vouches for it.
struct Caller {
    uid_t euid;
    std::string sender;
};

// Call only from inside a method handler of `object`; none when there is no message.
inline std::optional<Caller> current_caller(const sdbus::IObject& object) {
#if HOTSEAT_SDBUS_MAJOR >= 2
    sdbus::Message message = object.getCurrentlyProcessedMessage();
    if (!message.isValid()) return std::nullopt;
    const char* sender = message.getSender();
    return Caller{message.getCredsEuid(), sender ? sender : ""};
#else
    const sdbus::Message* message = object.getCurrentlyProcessedMessage();
    if (!message) return std::nullopt;
    return Caller{message->getCredsEuid(), message->getSender()};
#endif
}

// An empty signal of `object`, to be filled and sent with emitSignal().
inline sdbus::Signal create_signal(sdbus::IObject& object, const char* interface, const char* member) {
#if HOTSEAT_SDBUS_MAJOR >= 2
    return object.createSignal(InterfaceName{interface}, sdbus::SignalName{member});
#else
    return object.createSignal(interface, member);
#endif
}

// A match rule that lives as long as the returned slot; `handler` reads the message in place.
inline sdbus::Slot add_match(sdbus::IConnection& connection, const std::string& rule,
                             std::function<void(sdbus::Message& message)> handler) {
#if HOTSEAT_SDBUS_MAJOR >= 2
    return connection.addMatch(
        rule, [handler = std::move(handler)](sdbus::Message message) { handler(message); }, sdbus::return_slot);
#else
    return connection.addMatch(rule, std::move(handler));
#endif
}

}  // namespace hotseat::dbus::sdbus_compat
