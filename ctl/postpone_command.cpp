// `hotseatctl postpone VM [SECONDS]`: VM.Postpone. A stop from a vm.idle rule or the governor is
// announced first (PendingStop, warn_s); this moves it SECONDS from now or, without SECONDS (or
// with 0), cancels it.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bus_client.h"
#include "commands.h"
#include "exit_codes.h"
#include "failure.h"
#include "snapshot.h"
#include "time_text.h"

namespace hotseat::ctl {
namespace {

constexpr unsigned kMaxSeconds = 7 * 24 * 3600;  // what hotseatd accepts (a week)

struct Options {
    std::string vm;
    unsigned seconds = 0;
};

int run(const Options& options) {
    std::string context = "postpone " + options.vm;
    Bus bus;
    bus.require_daemon();
    std::string path = bus.vm_path(options.vm, context);
    VmProxy vm(bus.connection(), path);
    on_bus(context, [&] { vm.Postpone(options.seconds); });
    if (options.seconds == 0) {
        std::cout << options.vm << ": the pending stop is cancelled\n";
        return kOk;
    }
    auto after = vm_snapshot(path, bus.get_all(path, org::hotseat::Supervisor1::VM_proxy::INTERFACE_NAME));
    if (after.pending_stop_us != 0)
        std::cout << options.vm << ": " << after.pending_action << " " << time_until(after.pending_stop_us, now_us())
                  << " (" << local_time(after.pending_stop_us) << "): " << after.pending_reason << "\n";
    return kOk;
}

}  // namespace

void add_postpone_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<Options>();
    auto* sub = app.add_subcommand("postpone",
                                   "Move VM's pending stop (from an idle rule or the governor, "
                                   "see PendingStop) SECONDS from now; without SECONDS, or with 0, "
                                   "cancel it");
    sub->add_option("VM", options->vm, "Name of the VM (the libvirt domain)")->required();
    sub->add_option("SECONDS", options->seconds, "Seconds from now until the stop goes ahead, 0 to 604800")
        ->check(CLI::Range(0u, kMaxSeconds));
    sub->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace hotseat::ctl
