// `hotseatctl check-config [PATH] [--json]` (local, no daemon) and `hotseatctl reload`.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bus_client.h"
#include "commands.h"
#include "config/report.h"
#include "failure.h"
#include "hotseat/config.h"
#include "json_output.h"

namespace hotseat::ctl {
namespace {

constexpr const char* kDefaultConfig = "/etc/hotseat/hotseat.toml";

Json problems_json(const std::vector<ConfigError>& problems) {
    Json out = Json::array();
    for (const auto& p : problems)
        out.push_back(Json{
            {"file", p.file}, {"line", p.line}, {"column", p.column}, {"message", p.message}, {"text", p.to_string()}});
    return out;
}

std::string load_json(const std::string& path, const ConfigLoad& load) {
    Json out{{"path", path}, {"valid", load.config.has_value()}};
    out["vms"] = load.config ? Json(load.config->vms.size()) : Json(nullptr);
    out["rules"] = load.config ? Json(load.config->rules.size()) : Json(nullptr);
    out["errors"] = problems_json(load.errors);
    out["warnings"] = problems_json(load.warnings);
    return dump_json(out, true) + "\n";
}

int check_config(const std::string& path, bool json) {
    auto load = load_config_file(path);
    std::cout << (json ? load_json(path, load) : config::format_load_report(load)) << std::flush;
    return load.config ? kOk : kFailed;
}

int reload() {
    Bus bus;
    bus.require_daemon();
    ManagerProxy manager(bus.connection());
    on_bus("reload", [&] { manager.Reload(); });
    return kOk;
}

}  // namespace

void add_config_commands(CLI::App& app, int& exit_code) {
    struct CheckOptions {
        std::string path = kDefaultConfig;
        bool json = false;
    };
    auto options = std::make_shared<CheckOptions>();
    auto* check = app.add_subcommand("check-config",
                                     "Validate a configuration file here, without the daemon: "
                                     "every problem as file:line:column; exit 0 when valid");
    check->add_option("PATH", options->path, "Configuration file")->capture_default_str();
    check->add_flag("--json", options->json, "Print the result as one JSON object");
    check->callback([options, &exit_code] { exit_code = check_config(options->path, options->json); });

    auto* reload_command = app.add_subcommand(
        "reload",
        "Make hotseatd re-read its configuration; a bad one is refused (its errors are printed) and the "
        "one in force stays");
    reload_command->callback([&exit_code] { exit_code = reload(); });
}

}  // namespace hotseat::ctl
