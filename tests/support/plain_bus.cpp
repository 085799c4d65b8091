#include "plain_bus.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace hotseat::test {
namespace {

std::string config(const std::string& socket_path) {
    return R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=)" +
           socket_path + R"(</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";
}

}  // namespace

PlainBus::PlainBus(std::string socket_path, uid_t uid) : socket_path_(std::move(socket_path)) {
    auto dir = std::filesystem::path(socket_path_).parent_path();
    std::filesystem::create_directories(dir);
    if (::chown(dir.c_str(), uid, static_cast<gid_t>(uid)) < 0 || ::chmod(dir.c_str(), 0700) < 0)
        throw std::runtime_error("cannot prepare " + dir.string());
    ::chmod(dir_.path().c_str(), 0755);
    write_file(dir_.file("bus.conf"), config(socket_path_));
    std::vector<std::string> argv{"dbus-daemon", "--config-file=" + dir_.file("bus.conf"), "--nofork", "--nopidfile",
                                  "--print-address=1"};
    if (uid != ::getuid()) {
        std::string id = std::to_string(uid);
        argv.insert(argv.begin(), {"setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups"});
    }
    // The bus is no emulated hardware: it runs without the test's umockdev preload. Under
    // another user the preload cannot reach the testbed's root-only ioctl sockets and exits the
    // process as soon as it opens any /dev node (Debian 13's dbus-daemon opens /dev/null:
    // "libumockdev-preload: Failed to connect to ioctl socket ... for /dev/null: Permission denied").
    daemon_ = std::make_unique<Process>(
        Process::Options{argv, {{"LD_PRELOAD", ""}, {"UMOCKDEV_DIR", ""}}, dir_.file("dbus-daemon.log")});
    bool up = wait_until([&] { return daemon_->output().find("unix:") != std::string::npos || !daemon_->running(); });
    if (!up || daemon_->output().find("unix:") == std::string::npos)
        throw std::runtime_error("dbus-daemon on " + socket_path_ + " did not start:\n" + daemon_->output());
}

PlainBus::~PlainBus() { daemon_->stop(); }

}  // namespace hotseat::test
