#include "event_printer.h"

#include "dbus/bus_names.h"
#include "property_format.h"
#include "time_text.h"

namespace hotseat::ctl {

void EventPrinter::emit(const std::string& text_line, const Json& json_line) {
    auto now = now_us();
    if (json_) {
        Json stamped{{"time", iso_utc(now)}, {"time_us", now}};
        stamped.update(json_line);
        out_ << dump_json(stamped, false) << std::endl;
    } else {
        out_ << local_time_ms(now) << " " << text_line << std::endl;
    }
}

void EventPrinter::rule_fired(const std::string& rule, const std::string& event, const std::string& vm,
                              const std::string& action) {
    emit("rule " + rule + " fired on " + quoted_if_needed(event) + ": " + action + " " + vm,
         Json{{"type", "rule-fired"}, {"rule", rule}, {"event", event}, {"vm", vm}, {"action", action}});
}

void EventPrinter::properties_changed(const std::string& path, const std::string& interface, const PropertyMap& changed,
                                      const std::vector<std::string>& invalidated) {
    std::string vm = vm_name_from_path(path);
    std::string subject = !vm.empty() ? "vm " + vm : path == dbus::kManagerPath ? "manager" : path;
    std::string text = subject + ":";
    Json values = Json::object();
    for (const auto& [name, value] : changed) {
        text += " " + property_text(name, value);
        values[name] = property_json(name, value);
    }
    for (const auto& name : invalidated) text += " " + name + " (changed)";
    Json line{{"type", "properties-changed"}, {"object", vm.empty() ? "manager" : "vm"}};
    if (!vm.empty()) line["vm"] = vm;
    line.update(Json{{"path", path}, {"interface", interface}, {"changed", values}, {"invalidated", invalidated}});
    emit(text, line);
}

void EventPrinter::daemon_presence(bool on_bus) {
    emit(on_bus ? "daemon: hotseatd is on the bus" : "daemon: hotseatd left the bus",
         Json{{"type", "daemon"}, {"on_bus", on_bus}});
}

}  // namespace hotseat::ctl
