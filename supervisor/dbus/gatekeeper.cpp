#include "dbus/gatekeeper.h"

#include <grp.h>
#include <pwd.h>
#include <time.h>

#include <sdbus-c++/Error.h>
#include <sdbus-c++/IObject.h>
#include <sdbus-c++/Message.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "dbus/bus_names.h"
#include "dbus/sdbus_compat.h"
#include "log.h"

namespace hotseat::dbus {
namespace {

constexpr int kMaxLookupBuffer = 1 << 20;

std::uint64_t monotonic_us() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(t.tv_nsec) / 1000;
}

std::optional<gid_t> group_id(const std::string& name) {
    std::vector<char> buffer(1024);
    while (true) {
        group entry{};
        group* found = nullptr;
        int r = getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
        if (r == ERANGE && buffer.size() < kMaxLookupBuffer) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (r != 0 || !found) return std::nullopt;
        return entry.gr_gid;
    }
}

// The user's name and primary group, or nothing for a uid without a passwd entry.
std::optional<std::pair<std::string, gid_t>> user_entry(uid_t uid) {
    std::vector<char> buffer(1024);
    while (true) {
        passwd entry{};
        passwd* found = nullptr;
        int r = getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found);
        if (r == ERANGE && buffer.size() < kMaxLookupBuffer) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (r != 0 || !found) return std::nullopt;
        return std::make_pair(std::string(entry.pw_name), entry.pw_gid);
    }
}

std::vector<gid_t> group_list(const std::string& user, gid_t primary) {
    std::vector<gid_t> groups(32);
    while (true) {
        int count = static_cast<int>(groups.size());
        if (getgrouplist(user.c_str(), primary, groups.data(), &count) >= 0) {
            groups.resize(static_cast<size_t>(count));
            return groups;
        }
        // count now holds the size needed.
        groups.resize(static_cast<size_t>(std::max(count, static_cast<int>(groups.size()) * 2)));
    }
}

}  // namespace

bool uid_may_control(uid_t uid, const std::string& group) {
    if (uid == 0) return true;
    if (group.empty()) return false;
    auto gid = group_id(group);
    auto user = user_entry(uid);
    if (!gid || !user) return false;
    auto groups = group_list(user->first, user->second);
    return std::find(groups.begin(), groups.end(), *gid) != groups.end();
}

uid_t Gatekeeper::admit(const sdbus::IObject& object, const std::string& method) const {
    auto caller = sdbus_compat::current_caller(object);
    if (!caller) throw sdbus_compat::error(error::kFailed, method + ": no caller to check");
    uid_t uid = caller->euid;
    if (uid_may_control(uid, control_group_)) return uid;
    std::uint64_t held_back = 0;
    if (refusal_lines_.take(monotonic_us(), held_back))
        log::notice("refused ", method, " from uid ", uid, " (", caller->sender, "): neither root nor in group '",
                    control_group_, "'",
                    held_back ? " (" + std::to_string(held_back) + " more refusals not logged before this one)" : "");
    throw sdbus_compat::error(
        error::kAccessDenied,
        method + ": uid " + std::to_string(uid) + " is neither root nor a member of group '" + control_group_ + "'");
}

}  // namespace hotseat::dbus
