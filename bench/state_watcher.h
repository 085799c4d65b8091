// A D-Bus client watching one VM object's State, on its own connection thread: the moment a
// PropertiesChanged carrying State arrives is the moment "a client sees it".
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace sdbus {
class IConnection;
class IProxy;
}  // namespace sdbus

namespace hotseat::bench {

class StateWatcher {
public:
    using Clock = std::chrono::steady_clock;
    // Connects to the system bus ($DBUS_SYSTEM_BUS_ADDRESS) and watches `path` of hotseatd.
    explicit StateWatcher(const std::string& path);
    ~StateWatcher();
    // When State last changed to a value `pred` accepts (waits up to 10 s; throws otherwise).
    Clock::time_point wait_for(const std::function<bool(const std::string&)>& pred);

private:
    std::unique_ptr<sdbus::IConnection> conn_;
    std::unique_ptr<sdbus::IProxy> proxy_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::string state_ = "off";
    Clock::time_point changed_at_;
};

}  // namespace hotseat::bench
