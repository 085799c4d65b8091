#include "ctl_fixture.h"

#include <sstream>

namespace hotseat::test {

std::string ctl_test_config(const ConfigOptions& options) {
    return supervisor_section() + "debounce_ms = " + std::to_string(options.debounce_ms) +
           "\n"
           "\n"
           "[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\nshutdown_timeout_s = 5\n" +
           options.arch_keys +
           "\n"
           "[[vm]]\nname = \"already-running\"\n" +
           std::string(options.shared_gpu ? "gpu = [\"0000:00:02.0\"]\n" : "") +
           std::string(options.ghost_vm ? "\n[[vm]]\nname = \"ghost\"\n" : "") +
           "\n"
           "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\nconnector = \"HDMI-A-1\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n"
           "\n"
           "[[rule]]\nname = \"desk-unplug\"\non = \"monitor.disconnected\"\nconnector = \"HDMI-A-1\"\n"
           "action = \"stop\"\nvm = \"arch-desktop\"\n" +
           options.rules;
}

void CtlTest::SetUp() {
    testbed_.add_intel_igpu();
    write_config(ConfigOptions{});
}

std::map<std::string, std::string> CtlTest::ctl_environment() const {
    return {{"DBUS_SYSTEM_BUS_ADDRESS", bus_.address()}, {"LD_PRELOAD", ""}, {"TZ", "UTC"}};
}

CommandResult CtlTest::ctl(const std::vector<std::string>& args, bool as_nobody) {
    std::vector<std::string> argv;
    if (as_nobody) argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    argv.push_back(HOTSEATCTL_PATH);
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, ctl_environment());
}

std::unique_ptr<Process> CtlTest::spawn_ctl(const std::vector<std::string>& args) {
    Process::Options options;
    options.argv = {HOTSEATCTL_PATH};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.env = ctl_environment();
    static int count = 0;
    options.output_file = dir_.file("hotseatctl-" + std::to_string(++count) + ".out");
    return std::make_unique<Process>(options);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace hotseat::test
