#include "domain_facts.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "domain_xml.h"
#include "memory_units.h"
#include "util/xml_handles.h"

namespace hotseat::ctl::doctor {
namespace {

// libvirt's QEMU namespace (https://libvirt.org/drvqemu.html#pass-through-of-arbitrary-qemu-commands).
constexpr const char* kQemuNamespace = "http://libvirt.org/schemas/domain/qemu/1.0";

bool named(const xmlNode* node, const char* name, const char* ns = nullptr) {
    if (node->type != XML_ELEMENT_NODE || !xmlStrEqual(node->name, BAD_CAST name)) return false;
    if (!ns) return !node->ns;
    return node->ns && xmlStrEqual(node->ns->href, BAD_CAST ns);
}

std::vector<const xmlNode*> children(const xmlNode* parent, const char* name, const char* ns = nullptr) {
    std::vector<const xmlNode*> out;
    for (const xmlNode* node = parent ? parent->children : nullptr; node; node = node->next)
        if (named(node, name, ns)) out.push_back(node);
    return out;
}

const xmlNode* child(const xmlNode* parent, const char* name, const char* ns = nullptr) {
    auto all = children(parent, name, ns);
    return all.empty() ? nullptr : all.front();
}

std::string attribute(const xmlNode* node, const char* name) {
    if (!node) return "";
    return util::to_string(util::XmlString(xmlGetProp(node, BAD_CAST name)));
}

std::string text(const xmlNode* node) {
    if (!node) return "";
    std::string out = util::to_string(util::XmlString(xmlNodeGetContent(node)));
    auto first = out.find_first_not_of(" \t\r\n");
    auto last = out.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? "" : out.substr(first, last - first + 1);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// A libvirt address attribute: "0x02" or "2"; nullopt when absent or not a number.
std::optional<unsigned> number(const xmlNode* address, const char* name, unsigned fallback, bool required) {
    std::string value = attribute(address, name);
    if (value.empty()) return required ? std::nullopt : std::optional<unsigned>(fallback);
    char* end = nullptr;
    unsigned long n = std::strtoul(value.c_str(), &end, 0);
    if (!end || *end != '\0' || n > 0xffff) return std::nullopt;
    return static_cast<unsigned>(n);
}

std::string pci_address(const xmlNode* address) {
    if (!address || attribute(address, "type") != "pci") return "";
    auto domain = number(address, "domain", 0, false);
    auto bus = number(address, "bus", 0, true);
    auto slot = number(address, "slot", 0, true);
    auto function = number(address, "function", 0, false);
    if (!domain || !bus || !slot || !function) return "";
    return pci_address_text(*domain, *bus, *slot, *function);
}

HostdevFacts hostdev_facts(const xmlNode* hostdev) {
    HostdevFacts h;
    const xmlNode* source = child(hostdev, "source");
    const xmlNode* source_address = child(source, "address");
    // The source address has no type attribute; read it as a PCI address all the same.
    if (source_address) {
        auto domain = number(source_address, "domain", 0, false);
        auto bus = number(source_address, "bus", 0, true);
        auto slot = number(source_address, "slot", 0, true);
        auto function = number(source_address, "function", 0, false);
        if (domain && bus && slot && function) h.source = pci_address_text(*domain, *bus, *slot, *function);
    }
    h.guest_address = pci_address(child(hostdev, "address"));
    h.alias = attribute(child(hostdev, "alias"), "name");
    if (const xmlNode* rom = child(hostdev, "rom")) {
        h.has_rom = true;
        h.rom_file = attribute(rom, "file");
        h.rom_bar = attribute(rom, "bar");
    }
    return h;
}

std::optional<Switch> switch_value(const std::string& value) {
    std::string v = lower(value);
    if (v == "true" || v == "on" || v == "yes" || v == "1") return Switch::On;
    if (v == "false" || v == "off" || v == "no" || v == "0") return Switch::Off;
    return std::nullopt;
}

}  // namespace

std::string pci_address_text(unsigned domain, unsigned bus, unsigned slot, unsigned function) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04x:%02x:%02x.%x", domain, bus, slot, function);
    return buffer;
}

const HostdevFacts* DomainFacts::hostdev(const std::string& source) const {
    for (const auto& h : hostdevs)
        if (h.source == lower(source)) return &h;
    return nullptr;
}

const ChannelFacts* DomainFacts::channel(const std::string& name) const {
    for (const auto& c : channels)
        if (c.name == name) return &c;
    return nullptr;
}

bool DomainFacts::i440fx() const { return machine == "pc" || machine.rfind("pc-i440fx", 0) == 0; }

std::optional<Switch> DomainFacts::device_property(const HostdevFacts& device, const std::string& property) const {
    if (!device.alias.empty()) {
        auto found = overrides.find(device.alias);
        if (found != overrides.end()) {
            auto value = found->second.find(property);
            if (value != found->second.end()) return switch_value(value->second);
        }
    }
    // -device vfio-pci,...,x-igd-opregion=on or -set device.<alias>.x-igd-opregion=on: a domain
    // has one IGD, so any argument naming the property is about it.
    std::optional<Switch> result;
    const std::string key = property + "=";
    for (const auto& arg : commandline) {
        for (auto at = arg.find(key); at != std::string::npos; at = arg.find(key, at + 1)) {
            bool starts = at == 0 || arg[at - 1] == ',' || arg[at - 1] == '.';
            if (!starts) continue;
            std::string value = arg.substr(at + key.size(), arg.find(',', at) - at - key.size());
            if (auto v = switch_value(value)) result = v;
        }
    }
    return result;
}

std::optional<DomainFacts> parse_domain_facts(std::string_view xml, std::string* error) {
    // The same limits as the hook's parser: size, no DOCTYPE (hooks/domain_xml.cpp).
    if (xml.size() > hook::kMaxDomainXmlBytes) {
        *error = "the domain XML is larger than " + std::to_string(hook::kMaxDomainXmlBytes) + " bytes";
        return std::nullopt;
    }
    if (xml.find("<!DOCTYPE") != std::string_view::npos || xml.find("<!ENTITY") != std::string_view::npos) {
        *error = "the domain XML declares a DOCTYPE or entities";
        return std::nullopt;
    }
    util::XmlDoc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    const xmlNode* domain = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
    if (!domain || !named(domain, "domain")) {
        *error = "the domain XML is not well-formed or its root is not <domain>";
        return std::nullopt;
    }
    DomainFacts facts;
    facts.type = attribute(domain, "type");
    const xmlNode* os = child(domain, "os");
    facts.firmware = attribute(os, "firmware");
    const xmlNode* type = child(os, "type");
    facts.arch = attribute(type, "arch");
    facts.machine = attribute(type, "machine");
    if (const xmlNode* memory = child(domain, "memory")) {
        std::string unit = attribute(memory, "unit");
        std::string ignored;
        auto bytes = hook::to_bytes(text(memory), unit.empty() ? "KiB" : unit, &ignored);
        if (bytes) facts.memory_kib = *bytes / 1024;
    }
    const xmlNode* devices = child(domain, "devices");
    facts.emulator = text(child(devices, "emulator"));
    for (const xmlNode* hostdev : children(devices, "hostdev"))
        if (attribute(hostdev, "type") == "pci") facts.hostdevs.push_back(hostdev_facts(hostdev));
    for (const xmlNode* channel : children(devices, "channel")) {
        const xmlNode* target = child(channel, "target");
        facts.channels.push_back(
            ChannelFacts{attribute(channel, "type"), attribute(target, "name"), attribute(target, "state")});
    }
    const xmlNode* pm = child(domain, "pm");
    facts.suspend_to_disk = attribute(child(pm, "suspend-to-disk"), "enabled");
    facts.suspend_to_mem = attribute(child(pm, "suspend-to-mem"), "enabled");
    for (const xmlNode* override_node : children(domain, "override", kQemuNamespace))
        for (const xmlNode* device : children(override_node, "device", kQemuNamespace))
            for (const xmlNode* frontend : children(device, "frontend", kQemuNamespace))
                for (const xmlNode* property : children(frontend, "property", kQemuNamespace))
                    facts.overrides[attribute(device, "alias")][attribute(property, "name")] = attribute(property,
                                                                                                         "value");
    for (const xmlNode* commandline : children(domain, "commandline", kQemuNamespace))
        for (const xmlNode* arg : children(commandline, "arg", kQemuNamespace))
            facts.commandline.push_back(attribute(arg, "value"));
    return facts;
}

}  // namespace hotseat::ctl::doctor
