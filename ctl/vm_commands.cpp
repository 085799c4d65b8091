// `hotseatctl start|stop|toggle|force-stop VM [--wait [--timeout S]]`, `stop --hibernate`.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bus_client.h"
#include "bus_loop.h"
#include "commands.h"
#include "failure.h"
#include "vm_follower.h"

namespace hotseat::ctl {
namespace {

struct Verb {
    const char* command;
    const char* method;
    const char* help;
};

constexpr Verb kVerbs[] = {
    {"start", "Start", "Start VM; does nothing while it is starting or running"},
    {"stop", "Stop",
     "Shut VM down gracefully (ACPI), forced off after its shutdown_timeout_s; with --hibernate, "
     "hibernate it (its session is back at the next start)"},
    {"toggle", "Toggle", "Stop VM when it is starting or running, start it otherwise"},
    {"force-stop", "ForceStop", "Turn VM off at once (libvirt destroy), without asking the guest"},
};

constexpr Verb kHibernate{"stop --hibernate", "Hibernate", ""};

struct Options {
    std::string vm;
    bool wait = false;
    bool hibernate = false;  // stop only: VM.Hibernate instead of VM.Stop
    unsigned timeout_s = 120;
};

void call(VmProxy& vm, const std::string& method) {
    if (method == "Start")
        vm.Start();
    else if (method == "Stop")
        vm.Stop();
    else if (method == "Toggle")
        vm.Toggle();
    else if (method == "Hibernate")
        vm.Hibernate();
    else
        vm.ForceStop();
}

int finish(const VmFollower& follower, LoopEnd end, bool daemon_left, const std::string& context,
           const Options& options) {
    if (follower.verdict() == Verdict::Reached) return kOk;
    std::string where = follower.state() + (follower.step().empty() ? "" : " (" + follower.step() + ")");
    if (daemon_left) throw Failure(kUnreachable, context + ": hotseatd left the bus while the VM was " + where);
    if (end == LoopEnd::DeadlinePassed)
        throw Failure(kTimeout, context + ": gave up waiting after " + std::to_string(options.timeout_s) +
                                    " s; the VM is still " + where + " and the request stays in force");
    throw Failure(kFailed, context + ": the VM ended " + follower.state() + " instead of " + follower.wanted() +
                               (follower.last_error().empty() ? "" : ": " + follower.last_error()));
}

// Subscribes before the call, so that no change between the call and the wait is missed.
int call_and_wait(Bus& bus, const std::string& path, const Verb& verb, const Options& options,
                  const std::string& context) {
    std::unique_ptr<VmFollower> follower;
    VmProxy vm(bus.connection(), path, [&](const PropertyMap& changed) {
        if (follower) follower->apply(changed);
    });
    bool daemon_left = false;
    DaemonPresenceWatch presence(bus.connection(), [&](bool on_bus) { daemon_left = daemon_left || !on_bus; });
    auto before = vm_snapshot(
        path, on_bus(context, [&] {
            return proxy_compat::to_property_map(vm.GetAll(org::hotseat::Supervisor1::VM_proxy::INTERFACE_NAME));
        }));
    follower = std::make_unique<VmFollower>(before, wanted_state(verb.method, before.state), std::cout);
    on_bus(context, [&] { call(vm, verb.method); });

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_s);
    auto end = run_bus_loop(
        bus.connection(), [&] { return daemon_left || follower->verdict() != Verdict::Waiting; },
        LoopOptions{deadline, false});
    follower->print_current();
    return finish(*follower, end, daemon_left, context, options);
}

int run(const Verb& asked, const Options& options) {
    const Verb& verb = options.hibernate ? kHibernate : asked;
    std::string context = std::string(verb.command) + " " + options.vm;
    Bus bus;
    bus.require_daemon();
    std::string path = bus.vm_path(options.vm, context);
    if (options.wait) return call_and_wait(bus, path, verb, options, context);
    VmProxy vm(bus.connection(), path);
    on_bus(context, [&] { call(vm, verb.method); });
    return kOk;
}

void add_verb(CLI::App& app, const Verb& verb, int& exit_code) {
    auto options = std::make_shared<Options>();
    auto* sub = app.add_subcommand(verb.command, verb.help);
    sub->add_option("VM", options->vm, "Name of the VM (the libvirt domain)")->required();
    auto* wait = sub->add_flag("--wait", options->wait,
                               "Follow State and Step until the VM settles, printing each change; exit 0 "
                               "only when it reached the state asked for");
    sub->add_option("--timeout", options->timeout_s, "Seconds --wait waits before giving up (exit 7)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber)
        ->needs(wait);
    if (std::string(verb.method) == "Stop")
        sub->add_flag("--hibernate", options->hibernate,
                      "Hibernate VM through its guest agent (suspend to disk), whatever its stop_mode; shut "
                      "down instead when the agent cannot (docs/hibernate.md)");
    sub->callback([&verb, options, &exit_code] { exit_code = run(verb, *options); });
}

}  // namespace

void add_vm_commands(CLI::App& app, int& exit_code) {
    for (const auto& verb : kVerbs) add_verb(app, verb, exit_code);
}

}  // namespace hotseat::ctl
