#include "dbus/bus_boundary.h"

namespace hotseat::dbus {
namespace {

const char* error_name(CommandReply::Outcome outcome) {
    switch (outcome) {
        case CommandReply::Outcome::NotFound: return error::kNotFound;
        case CommandReply::Outcome::Busy: return error::kBusy;
        case CommandReply::Outcome::Failed: return error::kFailed;
        case CommandReply::Outcome::Accepted: break;
    }
    return error::kFailed;
}

const char* default_message(CommandReply::Outcome outcome) {
    switch (outcome) {
        case CommandReply::Outcome::NotFound: return "no such VM";
        case CommandReply::Outcome::Busy: return "a device the VM needs is in use";
        default: return "the request failed";
    }
}

}  // namespace

void throw_unless_accepted(const CommandReply& reply) {
    if (reply.outcome == CommandReply::Outcome::Accepted) return;
    const std::string& message = reply.message.empty() ? default_message(reply.outcome) : reply.message;
    throw sdbus_compat::error(error_name(reply.outcome), message);
}

}  // namespace hotseat::dbus
