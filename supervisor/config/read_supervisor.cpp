#include "config/quote.h"
#include "config/sections.h"
#include "config/syntax.h"
#include "config/table_reader.h"

namespace hotseat::config {
namespace {

void read_libvirt_uri(TableReader& reader, SupervisorConfig& out) {
    auto uri = reader.string("libvirt_uri");
    if (!uri) return;
    if (uri->empty()) {
        reader.error(*reader.find("libvirt_uri"), "libvirt_uri must not be empty");
        return;
    }
    if (!has_uri_scheme(*uri)) {
        reader.error(*reader.find("libvirt_uri"),
                     "libvirt_uri " + quoted(*uri) + " is not a libvirt URI like \"qemu:///system\"");
        return;
    }
    out.libvirt_uri = *uri;
}

void read_control_group(TableReader& reader, SupervisorConfig& out) {
    auto group = reader.string("control_group");
    if (!group) return;
    if (!is_group_name(*group)) {
        reader.error(*reader.find("control_group"), "control_group " + quoted(*group) + " is not a valid group name");
        return;
    }
    out.control_group = *group;
}

}  // namespace

SupervisorConfig read_supervisor(const toml::node& node, Diagnostics& diagnostics) {
    SupervisorConfig out;
    const toml::table* table = node.as_table();
    if (!table) {
        diagnostics.error(node.source(),
                          "supervisor must be a table ([supervisor]), got " + std::string(type_name(node.type())));
        return out;
    }
    TableReader reader(*table, "[supervisor]", diagnostics);
    reader.reject_unknown_keys({"libvirt_uri", "control_group", "debounce_ms"});
    read_libvirt_uri(reader, out);
    read_control_group(reader, out);
    if (auto debounce = reader.integer("debounce_ms", 0, 600000))
        out.debounce_ms = static_cast<std::uint32_t>(*debounce);
    return out;
}

}  // namespace hotseat::config
