#include "private_bus.h"

#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <stdexcept>

#ifndef HOTSEAT_SOURCE_DIR
#error "HOTSEAT_SOURCE_DIR must point at the source tree (for dbus/org.hotseat.Supervisor1.conf)"
#endif

namespace hotseat::test {
namespace {

constexpr const char* kDebianSystemConf = "/usr/share/dbus-1/system.conf";
constexpr const char* kShippedPolicy = HOTSEAT_SOURCE_DIR "/dbus/org.hotseat.Supervisor1.conf";

constexpr const char* kPermissivePolicy =
    R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy context="mandatory">
    <allow send_destination="org.hotseat.Supervisor1"/>
  </policy>
</busconfig>
)";

std::string drop(const std::string& text, const char* pattern) {
    return std::regex_replace(text, std::regex(pattern), "");
}

}  // namespace

std::string system_like_config(const std::string& system_conf, const std::string& listen_address,
                               const std::string& policy_dir) {
    std::string conf = system_conf;
    conf = drop(conf, R"(<user>[^<]*</user>)");
    conf = drop(conf, R"(<fork\s*/>)");
    conf = drop(conf, R"(<pidfile>[^<]*</pidfile>)");
    conf = drop(conf, R"(<syslog\s*/>)");
    conf = drop(conf, R"(<servicehelper>[^<]*</servicehelper>)");
    conf = drop(conf, R"(<standard_system_servicedirs\s*/>)");
    conf = drop(conf, R"(<listen>[^<]*</listen>)");
    // The host's own policies (system.d, /etc) are not part of the test: only ours is.
    conf = drop(conf, R"(<include(dir)?\b[^>]*>[^<]*</include(dir)?>)");
    if (conf.find("<allow user=\"*\"/>") == std::string::npos)
        conf = std::regex_replace(conf, std::regex(R"(<policy context="default">)"), "$&\n    <allow user=\"*\"/>");
    std::string ours = "  <listen>" + listen_address + "</listen>\n  <includedir>" + policy_dir +
                       "</includedir>\n</busconfig>";
    return std::regex_replace(conf, std::regex(R"(</busconfig>)"), ours);
}

PrivateBus::PrivateBus() : PrivateBus(Options{}) {}

PrivateBus::PrivateBus(Options options) {
    // Unprivileged test callers (setpriv --reuid=65534) must reach the socket in here.
    ::chmod(dir_.path().c_str(), 0755);
    write_config(options);
    daemon_ = std::make_unique<Process>(Process::Options{
        {"dbus-daemon", "--config-file=" + dir_.file("system.conf"), "--nofork", "--nopidfile", "--print-address=1"},
        {},
        dir_.file("dbus-daemon.log")});
    bool up = wait_until([&] {
        std::string out = daemon_->output();
        auto start = out.find("unix:");
        auto end = out.find('\n', start);
        if (start == std::string::npos || end == std::string::npos) return !daemon_->running();
        address_ = out.substr(start, end - start);
        return true;
    });
    if (!up || address_.empty()) throw std::runtime_error("private dbus-daemon did not start:\n" + daemon_->output());
}

PrivateBus::~PrivateBus() { daemon_->stop(); }

void PrivateBus::write_config(const Options& options) {
    std::string policy_dir = dir_.file("system.d");
    std::filesystem::create_directory(policy_dir);
    std::filesystem::copy_file(kShippedPolicy, policy_dir + "/org.hotseat.Supervisor1.conf");
    if (options.permissive) write_file(policy_dir + "/zz-test-permissive.conf", kPermissivePolicy);
    std::string listen = "unix:path=" + dir_.file("system_bus_socket");
    write_file(dir_.file("system.conf"), system_like_config(read_file(kDebianSystemConf), listen, policy_dir));
}

}  // namespace hotseat::test
