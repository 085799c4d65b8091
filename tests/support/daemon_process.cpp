#include "daemon_process.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/effect_text.h"

namespace hotseat::test {

NotifySocket::NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("notify socket path too long");
    std::strcpy(addr.sun_path, path.c_str());
    ::unlink(path.c_str());
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot bind notify socket " + path + ": " + std::strerror(errno));
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
}

NotifySocket::~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
}

bool NotifySocket::wait_for(const std::string& line, std::chrono::milliseconds timeout) {
    auto contains = [&] {
        for (const auto& r : received_)
            if (r.find(line) != std::string::npos) return true;
        return false;
    };
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!contains()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buf[4096];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n > 0) received_.emplace_back(buf, static_cast<size_t>(n));
    }
    return true;
}

size_t NotifySocket::count(const std::string& line) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) received_.emplace_back(buf, static_cast<size_t>(n));
    size_t found = 0;
    for (const auto& r : received_) found += r.find(line) != std::string::npos;
    return found;
}

std::map<std::string, std::string> umockdev_environment(const std::string& umockdev_dir) {
    std::string preload = "libumockdev-preload.so.0";
#ifdef HOTSEAT_ASAN_RUNTIME
    preload = std::string(HOTSEAT_ASAN_RUNTIME) + ":" + preload;
#endif
    return {{"UMOCKDEV_DIR", umockdev_dir}, {"LD_PRELOAD", preload}, {"ASAN_OPTIONS", "verify_asan_link_order=0"}};
}

DaemonProcess::DaemonProcess(DaemonOptions options) {
    notify_ = std::make_unique<NotifySocket>(options.work_dir + "/notify.sock");
    Process::Options p;
    p.argv = {HOTSEATD_PATH, "--config", options.config_path, "--verbose"};
    for (const auto& a : options.extra_args) p.argv.push_back(a);
    if (!options.umockdev_dir.empty()) p.env = umockdev_environment(options.umockdev_dir);
    p.env["DBUS_SYSTEM_BUS_ADDRESS"] = options.bus_address;
    p.env["NOTIFY_SOCKET"] = notify_->path();
    p.env["HOTSEAT_RUNTIME_DIR"] = options.work_dir + "/run";
    p.output_file = options.work_dir + "/hotseatd.log";
    process_ = std::make_unique<Process>(p);
}

// In slices, so that a hotseatd that exits before READY=1 (a crash, a refused config) ends the
// wait at once and the test fails with its log, instead of outliving the test's ctest TIMEOUT.
bool DaemonProcess::wait_ready(std::chrono::milliseconds timeout) {
    const auto slice = std::chrono::milliseconds(100);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (notify_->wait_for("READY=1", std::clamp(left, std::chrono::milliseconds(0), slice))) return true;
        // Gone: whatever it sent before it went is read, then the wait ends.
        if (!process_->running()) return notify_->count("READY=1") > 0;
        if (left <= slice) return false;
    }
}

bool DaemonProcess::executed(const Effect& effect) const {
    return log().find("effect: " + effect_text(effect) + "\n") != std::string::npos;
}

std::string bus_get_property(const std::string& bus_address, const std::string& path, const std::string& interface,
                             const std::string& property) {
    int status = 0;
    // hotseatd answers a property read at once; a bounded wait makes a daemon that stopped
    // answering fail the test's wait_until (with its log) well inside the test's ctest TIMEOUT,
    // where busctl's own 25 s, a few times over, would outlast it silently.
    std::string out = run_capture(
        {"busctl", "--system", "--timeout=5", "get-property", "org.hotseat.Supervisor1", path, interface, property},
        &status, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_address}});
    if (status != 0) return {};
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    auto space = out.find(' ');  // drop the type signature
    std::string value = space == std::string::npos ? out : out.substr(space + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value;
}

std::string vm_property(const std::string& bus_address, const std::string& encoded_vm, const std::string& property) {
    return bus_get_property(bus_address, "/org/hotseat/Supervisor1/vm/" + encoded_vm, "org.hotseat.Supervisor1.VM",
                            property);
}

std::string vm_state(const std::string& bus_address, const std::string& encoded_vm) {
    return vm_property(bus_address, encoded_vm, "State");
}

std::string manager_property(const std::string& bus_address, const std::string& property) {
    return bus_get_property(bus_address, "/org/hotseat/Supervisor1", "org.hotseat.Supervisor1.Manager", property);
}

int call_vm(const std::string& bus_address, const std::string& encoded_vm, const std::string& method) {
    return run_command({"busctl", "--system", "call", "org.hotseat.Supervisor1",
                        "/org/hotseat/Supervisor1/vm/" + encoded_vm, "org.hotseat.Supervisor1.VM", method},
                       {{"DBUS_SYSTEM_BUS_ADDRESS", bus_address}})
        .status;
}

int call_reload(const std::string& bus_address, std::string* message) {
    CommandResult r = run_command({"busctl", "--system", "call", "org.hotseat.Supervisor1", "/org/hotseat/Supervisor1",
                                   "org.hotseat.Supervisor1.Manager", "Reload"},
                                  {{"DBUS_SYSTEM_BUS_ADDRESS", bus_address}});
    *message = r.out + r.err;
    return r.status;
}

}  // namespace hotseat::test
