// The command groups of hotseatctl. Each adds its subcommands to the app; a subcommand's callback
// stores its exit status in `exit_code` or throws Failure (main() prints it and exits with it).
#pragma once

namespace CLI {
class App;
}

namespace hotseat::ctl {

void add_status_command(CLI::App& app, int& exit_code);    // status
void add_vm_commands(CLI::App& app, int& exit_code);       // start, stop, toggle, force-stop
void add_monitor_command(CLI::App& app, int& exit_code);   // monitor
void add_config_commands(CLI::App& app, int& exit_code);   // check-config, reload
void add_doctor_command(CLI::App& app, int& exit_code);    // doctor
void add_postpone_command(CLI::App& app, int& exit_code);  // postpone

}  // namespace hotseat::ctl
