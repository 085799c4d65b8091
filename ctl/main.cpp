// hotseatctl: controls hotseatd over the system bus. See `hotseatctl --help` and hotseatctl(1).
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"
#include "exit_codes.h"
#include "failure.h"

int main(int argc, char** argv) {
    using namespace hotseat::ctl;
    CLI::App app{
        "hotseatctl: shows and controls hotseatd, which boots a desktop VM when a monitor, keyboard "
        "or hotkey asks for it"};
    app.footer(kExitCodesHelp);
    app.require_subcommand(0, 1);  // none is reported below, naming the commands
    app.set_version_flag("--version", HOTSEAT_VERSION);
    int exit_code = kOk;
    add_status_command(app, exit_code);
    add_vm_commands(app, exit_code);
    add_monitor_command(app, exit_code);
    add_config_commands(app, exit_code);
    add_doctor_command(app, exit_code);
    add_postpone_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);  // prints help, the version or the usage error
        return code == 0 ? kOk : kUsage;
    } catch (const Failure& failure) {
        std::cout.flush();
        std::cerr << "hotseatctl: " << failure.what() << "\n";
        return failure.code();
    } catch (const sdbus::Error& e) {  // a call a command forgot to wrap: still in words
        std::cerr << "hotseatctl: " << bus_failure("", e).what() << "\n";
        return exit_code_for(e.getName());
    } catch (const std::exception& e) {
        std::cerr << "hotseatctl: " << e.what() << "\n";
        return kFailed;
    }
    if (app.get_subcommands().empty()) {
        std::cerr << "hotseatctl: a command is needed: status, start, stop, toggle, force-stop, postpone, "
                     "monitor, check-config, reload or doctor (see --help)\n";
        return kUsage;
    }
    return exit_code;
}
