#include "state_watcher.h"

#include <map>
#include <sdbus-c++/sdbus-c++.h>
#include <stdexcept>
#include <vector>

#include "dbus/sdbus_compat.h"

namespace hotseat::bench {

StateWatcher::StateWatcher(const std::string& path) {
    conn_ = sdbus::createSystemBusConnection();
    proxy_ = dbus::sdbus_compat::create_proxy(*conn_, "org.hotseat.Supervisor1", path);
    proxy_->uponSignal("PropertiesChanged")
        .onInterface("org.freedesktop.DBus.Properties")
        .call([this](const std::string&, const std::map<std::string, sdbus::Variant>& changed,
                     const std::vector<std::string>&) {
            auto it = changed.find("State");
            if (it == changed.end()) return;
            std::lock_guard lock(mutex_);
            state_ = it->second.get<std::string>();
            changed_at_ = Clock::now();
            cv_.notify_all();
        });
    dbus::sdbus_compat::finish_registration(*proxy_);
    conn_->enterEventLoopAsync();
}

StateWatcher::~StateWatcher() { conn_->leaveEventLoop(); }

StateWatcher::Clock::time_point StateWatcher::wait_for(const std::function<bool(const std::string&)>& pred) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return pred(state_); }))
        throw std::runtime_error("State did not change within 10 s (is " + state_ + ")");
    return changed_at_;
}

}  // namespace hotseat::bench
