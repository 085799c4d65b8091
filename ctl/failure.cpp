#include "failure.h"

#include <map>

namespace hotseat::ctl {
namespace {

struct Meaning {
    ExitCode code;
    const char* words;
    bool peer_message_helps = true;  // false where the bus daemon's own text adds nothing
};

constexpr const char* kNotRunning =
    "hotseatd is not running (nobody owns org.hotseat.Supervisor1 on the system bus; "
    "try: systemctl status hotseatd)";

// The error names a hotseatctl user can meet, with what they mean for them.
const std::map<std::string, Meaning>& meanings() {
    static const std::map<std::string, Meaning> table{
        {"org.hotseat.Supervisor1.Error.NotFound", {kNotFound, "no such VM"}},
        {"org.hotseat.Supervisor1.Error.Busy", {kBusy, "busy, a device it needs is held by another VM"}},
        {"org.hotseat.Supervisor1.Error.Failed", {kFailed, "hotseatd could not do it"}},
        {"org.hotseat.Supervisor1.Error.InvalidConfig",
         {kFailed, "the configuration was rejected, the previous one stays in force"}},
        {"org.freedesktop.DBus.Error.AccessDenied",
         {kAccessDenied, "access denied, this needs root or membership of the configured control_group"}},
        {"org.freedesktop.DBus.Error.UnknownObject", {kNotFound, "no such VM (unknown object)"}},
        {"org.freedesktop.DBus.Error.ServiceUnknown", {kUnreachable, kNotRunning, false}},
        {"org.freedesktop.DBus.Error.NameHasNoOwner", {kUnreachable, kNotRunning, false}},
        {"org.freedesktop.DBus.Error.NoReply", {kUnreachable, "hotseatd did not answer in time"}},
        {"org.freedesktop.DBus.Error.Timeout", {kUnreachable, "hotseatd did not answer in time"}},
        {"org.freedesktop.DBus.Error.Disconnected", {kUnreachable, "the system bus connection was lost"}},
        {"org.freedesktop.DBus.Error.NoServer", {kUnreachable, "cannot reach the system bus"}},
    };
    return table;
}

// A message of several lines (a list of config errors) starts on its own line, indented.
std::string attach(const std::string& text, const std::string& message) {
    if (message.find('\n') == std::string::npos) return text + ": " + message;
    std::string out = text + ":";
    std::size_t start = 0;
    while (start <= message.size()) {
        auto end = message.find('\n', start);
        if (end == std::string::npos) end = message.size();
        if (end > start) out += "\n  " + message.substr(start, end - start);
        start = end + 1;
    }
    return out;
}

// dbus-daemon explains a policy refusal with the whole message header; a person needs to know
// only that the bus itself said no (the daemon's own refusals are kept: they name uid and group).
std::string peer_message(const sdbus::Error& error) {
    if (error.getMessage().rfind("Rejected send message", 0) == 0) return "refused by the system bus policy";
    return error.getMessage();
}

}  // namespace

ExitCode exit_code_for(const std::string& error_name) {
    auto it = meanings().find(error_name);
    return it == meanings().end() ? kFailed : it->second.code;
}

Failure bus_failure(const std::string& context, const sdbus::Error& error) {
    auto it = meanings().find(error.getName());
    bool known = it != meanings().end();
    std::string words = known ? it->second.words : "D-Bus error " + error.getName();
    std::string text = context.empty() ? words : context + ": " + words;
    if (!error.getMessage().empty() && (!known || it->second.peer_message_helps))
        text = attach(text, peer_message(error));
    return Failure(exit_code_for(error.getName()), text);
}

}  // namespace hotseat::ctl
