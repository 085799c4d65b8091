// hotseatd: turns this headless server into a desk on demand. See hotseatd(8).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>

#include "config/report.h"
#include "daemon/daemon.h"
#include "hotseat/config.h"
#include "log.h"

namespace {

constexpr const char* kDefaultConfig = "/etc/hotseat/hotseat.toml";

int check_config(const std::string& path, hotseat::OwnerCheck owner) {
    auto load = hotseat::load_config_file(path, owner);
    std::cout << hotseat::config::format_load_report(load);
    return load.config ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "hotseatd: boots a desktop VM when a monitor, keyboard or hotkey asks for it, "
        "and gives the hardware back to the host afterwards"};
    std::string config_path = kDefaultConfig;
    std::string check_path;
    bool verbose = false;
    app.add_option("--config", config_path, "Configuration file")->capture_default_str();
    auto* check = app.add_option("--check-config", check_path,
                                 "Validate the configuration (PATH, or the --config file) and exit: "
                                 "0 when it is valid")
                      ->expected(0, 1);
    // For a build-time check of a generated file that root cannot own (nix/module.nix): only with
    // --check-config, so the daemon itself never reads a config anyone but root could change.
    bool no_owner_check = false;
    app.add_flag("--no-owner-check", no_owner_check,
                 "With --check-config: accept a file root does not own (still refusing one that its "
                 "group or others can write)")
        ->needs(check);
    app.add_flag("-v,--verbose", verbose, "Log debug messages too");
    app.set_version_flag("--version", HOTSEAT_VERSION);
    CLI11_PARSE(app, argc, argv);

    hotseat::log::set_verbose(verbose);
    if (check->count() > 0)
        return check_config(check_path.empty() ? config_path : check_path,
                            no_owner_check ? hotseat::OwnerCheck::Skip : hotseat::OwnerCheck::RootOnly);

    auto load = hotseat::load_config_file(config_path);
    for (const auto& w : load.warnings) hotseat::log::warning(w.to_string());
    if (!load.config) {
        for (const auto& e : load.errors) hotseat::log::error(e.to_string());
        hotseat::log::error("refusing to start with an invalid configuration");
        return 78;  // EX_CONFIG: systemd does not restart-loop on it with RestartPreventExitStatus
    }
    try {
        hotseat::Daemon daemon(std::move(*load.config));
        return daemon.run();
    } catch (const std::exception& e) {
        hotseat::log::error(e.what());
        return 1;
    }
}
