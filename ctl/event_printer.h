// `monitor`'s output: one line per event, stamped with the time it arrived, as words or as JSON
// lines. Every line is flushed at once, so a pipe or a file sees it immediately.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "bus_client.h"
#include "json_output.h"

namespace hotseat::ctl {

class EventPrinter {
public:
    EventPrinter(std::ostream& out, bool json) : out_(out), json_(json) {}

    void rule_fired(const std::string& rule, const std::string& event, const std::string& vm,
                    const std::string& action);
    // A PropertiesChanged of the Manager or of a VM object.
    void properties_changed(const std::string& path, const std::string& interface, const PropertyMap& changed,
                            const std::vector<std::string>& invalidated);
    void daemon_presence(bool on_bus);

private:
    void emit(const std::string& text_line, const Json& json_line);

    std::ostream& out_;
    bool json_;
};

}  // namespace hotseat::ctl
