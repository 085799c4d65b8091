// Who may change state over D-Bus (docs/design.md "The D-Bus API"): root, or a member of
// [supervisor] control_group. The shipped bus policy filters too; this check in the daemon holds even if
// the policy is wrong.
#pragma once

#include <sys/types.h>

#include <string>

#include "log_budget.h"

namespace sdbus {
class IObject;
}

namespace hotseat::dbus {

// True for uid 0 and for users whose group list (user database: primary group plus
// supplementary groups, as getgrouplist reports them) contains `group`. An empty or unknown
// group admits root only.
bool uid_may_control(uid_t uid, const std::string& group);

class Gatekeeper {
public:
    explicit Gatekeeper(std::string control_group) : control_group_(std::move(control_group)) {}

    void set_control_group(std::string group) { control_group_ = std::move(group); }
    const std::string& control_group() const { return control_group_; }

    // Call from inside a method handler of `object`. Returns the caller's effective uid (asked of
    // the bus) or throws sdbus::Error org.freedesktop.DBus.Error.AccessDenied. A refusal is
    // logged as a notice, at most kRefusalBurst lines at once and one a kRefusalRefillUs after
    // that (anyone may call, so anyone could otherwise fill the journal); the next line written
    // says how many were left out.
    uid_t admit(const sdbus::IObject& object, const std::string& method) const;

    static constexpr std::uint32_t kRefusalBurst = 10;
    static constexpr std::uint64_t kRefusalRefillUs = 6'000'000;  // 10 lines a minute

private:
    std::string control_group_;
    // What the journal has been told, not who is admitted: changed by const admit().
    mutable log::LogBudget refusal_lines_{kRefusalBurst, kRefusalRefillUs};
};

}  // namespace hotseat::dbus
