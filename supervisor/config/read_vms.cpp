#include <algorithm>

#include "config/limits.h"
#include "config/quote.h"
#include "config/sections.h"
#include "config/syntax.h"
#include "config/table_reader.h"

namespace hotseat::config {
namespace {

std::optional<std::string> read_vm_name(TableReader& reader) {
    const toml::node* node = reader.find("name");
    if (!node) {
        reader.missing("name");
        return std::nullopt;
    }
    auto name = reader.string_value(*node, "name");
    if (name && !is_vm_name(*name)) {
        reader.error(*node, "name " + quoted(*name) + " is not a valid VM name (letters, digits and _ . + - only)");
        return std::nullopt;
    }
    return name;
}

void read_gpus(TableReader& reader, VmConfig& vm) {
    const toml::array* list = reader.array("gpu");
    if (!list) return;
    if (list->size() > kMaxGpusPerVm) {
        reader.error(*list, "gpu lists " + std::to_string(list->size()) + " devices; at most " +
                                std::to_string(kMaxGpusPerVm) + " are allowed");
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& element = *list->get(i);
        auto text = reader.string_value(element, "gpu[" + std::to_string(i) + "]");
        if (!text) continue;
        auto address = normalise_pci_address(*text);
        if (!address) {
            reader.error(element, "gpu[" + std::to_string(i) + "] " + quoted(*text) +
                                      " is not a PCI address like \"0000:00:02.0\"");
        } else if (std::find(vm.gpu.begin(), vm.gpu.end(), *address) != vm.gpu.end()) {
            reader.error(element, "gpu " + quoted(*address) + " is listed twice");
        } else {
            vm.gpu.push_back(*address);
        }
    }
}

std::optional<std::string> read_usb_id(TableReader& entry, std::string_view key) {
    const toml::node* node = entry.find(key);
    if (!node) {
        entry.missing(key);
        return std::nullopt;
    }
    auto text = entry.string_value(*node, key);
    if (!text) return std::nullopt;
    auto id = normalise_usb_id(*text);
    if (!id) entry.error(*node, std::string(key) + " " + quoted(*text) + " must be 4 hex digits like \"046d\"");
    return id;
}

std::optional<UsbDeviceMatch> read_usb_entry(const toml::node& element, const std::string& what, TableReader& reader,
                                             Diagnostics& diagnostics) {
    const toml::table* table = element.as_table();
    if (!table) {
        std::string got(type_name(element.type()));
        reader.error(element, what + " must be a table like { vendor = \"046d\", product = \"c52b\" }, got " + got);
        return std::nullopt;
    }
    TableReader entry(*table, "usb entry", diagnostics);
    entry.set_subject(reader.subject() + what + ": ");
    entry.reject_unknown_keys({"vendor", "product", "serial"});
    auto vendor = read_usb_id(entry, "vendor");
    auto product = read_usb_id(entry, "product");
    auto serial = entry.string("serial");
    if (!vendor || !product || (entry.find("serial") && !serial)) return std::nullopt;
    return UsbDeviceMatch{*vendor, *product, serial.value_or("")};
}

bool same_usb(const UsbDeviceMatch& a, const UsbDeviceMatch& b) {
    return a.vendor == b.vendor && a.product == b.product && a.serial == b.serial;
}

void read_usb(TableReader& reader, Diagnostics& diagnostics, VmConfig& vm) {
    const toml::array* list = reader.array("usb");
    if (!list) return;
    if (list->size() > kMaxUsbPerVm) {
        reader.error(*list, "usb lists " + std::to_string(list->size()) + " devices; at most " +
                                std::to_string(kMaxUsbPerVm) + " are allowed");
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& element = *list->get(i);
        auto usb = read_usb_entry(element, "usb[" + std::to_string(i) + "]", reader, diagnostics);
        if (!usb) continue;
        auto same = [&](const UsbDeviceMatch& other) { return same_usb(*usb, other); };
        if (std::any_of(vm.usb.begin(), vm.usb.end(), same)) {
            reader.error(element, "usb device " + usb->vendor + ":" + usb->product +
                                      (usb->serial.empty() ? "" : " serial " + quoted(usb->serial)) +
                                      " is listed twice");
            continue;
        }
        vm.usb.push_back(*usb);
    }
}

void read_timeouts(TableReader& reader, VmConfig& vm) {
    if (auto value = reader.integer("shutdown_timeout_s", 1, 3600))
        vm.shutdown_timeout_s = static_cast<std::uint32_t>(*value);
    if (auto value = reader.integer("idle_timeout_min", 0, 1440))
        vm.idle_timeout_min = static_cast<std::uint32_t>(*value);
    if (auto value = reader.integer("idle_cpu_percent", 0, 100))
        vm.idle_cpu_percent = static_cast<std::uint32_t>(*value);
    if (auto value = reader.integer("cpu_weight", 1, 10000)) vm.cpu_weight = static_cast<std::uint32_t>(*value);
    // Seconds instead of minutes, for short timeouts (tests, kiosks); one of the two, not both.
    if (auto value = reader.integer("idle_timeout_s", 10, 86400)) {
        if (reader.find("idle_timeout_min"))
            reader.error(*reader.find("idle_timeout_s"), "idle_timeout_s and idle_timeout_min exclude each other");
        else
            vm.idle_timeout_s = static_cast<std::uint32_t>(*value);
    }
}

// The warning before an automatic stop (docs/design.md "Warned stops"): how long, and how far the
// guest may push it.
void read_warning(TableReader& reader, VmConfig& vm) {
    if (auto value = reader.integer("warn_s", 0, kMaxWarnSeconds)) vm.warn_s = static_cast<std::uint32_t>(*value);
    if (auto value = reader.integer("max_postpone_s", 0, kMaxPostponeSeconds))
        vm.max_postpone_s = static_cast<std::uint32_t>(*value);
}

// stop_mode: what a rule's, vm.idle's, the governor's or a takeover's stop does
// (docs/hibernate.md); hibernate_timeout_s: how long the guest gets to hibernate.
void read_stop_mode(TableReader& reader, VmConfig& vm) {
    if (auto text = reader.string("stop_mode")) {
        if (auto mode = stop_mode_from_string(*text))
            vm.stop_mode = *mode;
        else
            reader.error(*reader.find("stop_mode"),
                         "stop_mode " + quoted(*text) + " must be \"shutdown\" or \"hibernate\"");
    }
    if (auto value = reader.integer("hibernate_timeout_s", 1, 3600))
        vm.hibernate_timeout_s = static_cast<std::uint32_t>(*value);
}

// One [[vm]] entry; nullopt when it has no usable name.
std::optional<VmConfig> read_vm(const toml::table& table, std::size_t index, Diagnostics& diagnostics) {
    TableReader reader(table, "[[vm]]", diagnostics);
    reader.set_subject("vm #" + std::to_string(index + 1) + ": ");
    VmConfig vm;
    auto name = read_vm_name(reader);
    if (name) reader.set_subject("vm " + quoted(*name) + ": ");
    reader.reject_unknown_keys({"name", "gpu", "usb", "shutdown_timeout_s", "idle_timeout_min", "idle_cpu_percent",
                                "cpu_weight", "idle_timeout_s", "guest_channel", "warn_s", "max_postpone_s",
                                "stop_mode", "hibernate_timeout_s"});
    read_gpus(reader, vm);
    if (auto value = reader.boolean("guest_channel")) vm.guest_channel = *value;
    read_usb(reader, diagnostics, vm);
    read_timeouts(reader, vm);
    read_warning(reader, vm);
    read_stop_mode(reader, vm);
    if (!name) return std::nullopt;
    vm.name = *name;
    return vm;
}

}  // namespace

std::vector<VmConfig> read_vms(const toml::node& node, Diagnostics& diagnostics) {
    std::vector<VmConfig> vms;
    const toml::array* list = node.as_array();
    if (!list) {
        diagnostics.error(node.source(),
                          "vm must be an array of tables ([[vm]]), got " + std::string(type_name(node.type())));
        return vms;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& element = *list->get(i);
        if (i == kMaxVms) {
            diagnostics.error(element.source(),
                              "too many [[vm]] entries: at most " + std::to_string(kMaxVms) + " are allowed");
            break;
        }
        if (!element.is_table()) {
            diagnostics.error(element.source(),
                              "vm entries must be tables ([[vm]]), got " + std::string(type_name(element.type())));
            continue;
        }
        auto vm = read_vm(*element.as_table(), i, diagnostics);
        if (!vm) continue;
        auto same_name = [&](const VmConfig& other) { return other.name == vm->name; };
        if (std::any_of(vms.begin(), vms.end(), same_name)) {
            diagnostics.error(element.as_table()->get("name")->source(),
                              "vm " + quoted(vm->name) + " is defined twice");
            continue;
        }
        vms.push_back(std::move(*vm));
    }
    return vms;
}

}  // namespace hotseat::config
