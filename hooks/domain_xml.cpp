#include "domain_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdio>
#include <cstdlib>
#include <set>

#include "memory_units.h"
#include "util/xml_handles.h"

namespace hotseat::hook {
namespace {

bool named(const xmlNode* node, const char* name) {
    return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, BAD_CAST name);
}

std::vector<const xmlNode*> children(const xmlNode* parent, const char* name) {
    std::vector<const xmlNode*> out;
    for (const xmlNode* node = parent ? parent->children : nullptr; node; node = node->next)
        if (named(node, name)) out.push_back(node);
    return out;
}

const xmlNode* child(const xmlNode* parent, const char* name) {
    auto all = children(parent, name);
    return all.empty() ? nullptr : all.front();
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
    util::XmlString value(xmlGetProp(node, BAD_CAST name));
    if (!value) return std::nullopt;
    return util::to_string(value);
}

std::string trimmed_text(const xmlNode* node) {
    std::string text = util::to_string(util::XmlString(xmlNodeGetContent(node)));
    auto first = text.find_first_not_of(" \t\r\n");
    auto last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// <memory unit='GiB'>6</memory> in bytes; KiB when no unit is given, as libvirt reads it.
std::optional<std::uint64_t> size_of(const xmlNode* node, const std::string& number, std::string* error) {
    return to_bytes(number, attribute(node, "unit").value_or("KiB"), error);
}

std::optional<std::uint64_t> guest_memory_bytes(const xmlNode* domain, std::string* error) {
    const xmlNode* memory = child(domain, "memory");
    if (!memory) memory = child(domain, "currentMemory");
    if (!memory) {
        *error = "the domain asks for hugepages but gives no <memory>";
        return std::nullopt;
    }
    auto bytes = size_of(memory, trimmed_text(memory), error);
    if (bytes) return bytes;
    *error = "<" + std::string(reinterpret_cast<const char*>(memory->name)) + ">: " + *error;
    return std::nullopt;
}

// The page sizes named by <page size=... unit=.../>, in KiB (a set: one size per node is fine).
std::optional<std::set<std::uint64_t>> page_sizes_kib(const xmlNode* hugepages, std::string* error) {
    std::set<std::uint64_t> sizes;
    for (const xmlNode* page : children(hugepages, "page")) {
        auto bytes = size_of(page, attribute(page, "size").value_or(""), error);
        if (bytes && (*bytes < 1024 || *bytes % 1024 != 0))
            *error = std::to_string(*bytes) + " bytes is not a page size";
        if (!bytes || *bytes < 1024 || *bytes % 1024 != 0) {
            *error = "<hugepages><page>: " + *error;
            return std::nullopt;
        }
        sizes.insert(*bytes / 1024);
    }
    return sizes;
}

std::optional<HugepageRequest> read_hugepages(const xmlNode* domain, DomainNeeds& needs, std::string* error,
                                              bool* failed) {
    const xmlNode* hugepages = child(child(domain, "memoryBacking"), "hugepages");
    if (!hugepages) return std::nullopt;
    auto sizes = page_sizes_kib(hugepages, error);
    auto memory = sizes ? guest_memory_bytes(domain, error) : std::nullopt;
    if (!memory) {
        *failed = true;
        return std::nullopt;
    }
    if (sizes->size() > 1) {
        needs.ignored.push_back("hugepages of several sizes are not allocated here: reserve them at boot");
        return std::nullopt;
    }
    HugepageRequest request;
    if (!sizes->empty()) request.page_kib = *sizes->begin();
    std::uint64_t page_bytes = request.page_kib * 1024;
    request.pages = *memory / page_bytes + (*memory % page_bytes ? 1 : 0);
    return request;
}

std::optional<unsigned long> address_part(const xmlNode* address, const char* name, unsigned long max,
                                          const char* fallback) {
    std::string text = attribute(address, name).value_or(fallback);
    char* end = nullptr;
    unsigned long value = std::strtoul(text.c_str(), &end, 0);
    if (text.empty() || *end != '\0' || value > max || text[0] == '-') return std::nullopt;
    return value;
}

// "0000:00:02.0" from <address domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>.
std::optional<std::string> pci_address(const xmlNode* address) {
    auto domain = address_part(address, "domain", 0xffff, "0");
    auto bus = address_part(address, "bus", 0xff, "");
    auto slot = address_part(address, "slot", 0x1f, "");
    auto function = address_part(address, "function", 0x7, "");
    if (!domain || !bus || !slot || !function) return std::nullopt;
    char text[16];
    std::snprintf(text, sizeof text, "%04lx:%02lx:%02lx.%lx", *domain, *bus, *slot, *function);
    return std::string(text);
}

void read_pci_hostdevs(const xmlNode* domain, DomainNeeds& needs) {
    for (const xmlNode* hostdev : children(child(domain, "devices"), "hostdev")) {
        if (attribute(hostdev, "type").value_or("") != "pci") continue;
        const xmlNode* address = child(child(hostdev, "source"), "address");
        auto pci = address ? pci_address(address) : std::nullopt;
        if (pci)
            needs.pci_devices.push_back(*pci);
        else
            needs.ignored.push_back("a PCI <hostdev> without a readable source address");
    }
}

std::string libxml_error() {
    const xmlError* last = xmlGetLastError();
    if (!last || !last->message) return "not well-formed";
    std::string message = last->message;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return "line " + std::to_string(last->line) + ": " + message;
}

// A DTD is where entities live (billion laughs, external files); libvirt never writes one.
bool declares_doctype(std::string_view xml) {
    return xml.find("<!DOCTYPE") != std::string_view::npos || xml.find("<!ENTITY") != std::string_view::npos;
}

util::XmlDoc parse_document(std::string_view xml, std::string* error) {
    // No XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no network.
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    util::XmlDoc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr, options));
    if (!doc)
        *error = "the domain XML is not well-formed (" + libxml_error() + ")";
    else if (doc->intSubset || doc->extSubset)
        *error = "the domain XML carries a DTD: refused";
    else if (!xmlDocGetRootElement(doc.get()) || !named(xmlDocGetRootElement(doc.get()), "domain"))
        *error = "the XML on stdin is not a <domain>";
    else
        return doc;
    return nullptr;
}

}  // namespace

std::optional<DomainNeeds> parse_domain_xml(std::string_view xml, std::string* error) {
    if (xml.size() > kMaxDomainXmlBytes) {
        *error = "the domain XML is larger than 1 MiB: refused";
        return std::nullopt;
    }
    if (declares_doctype(xml)) {
        *error = "the domain XML declares a DOCTYPE or entities: refused";
        return std::nullopt;
    }
    util::XmlDoc doc = parse_document(xml, error);
    if (!doc) return std::nullopt;
    const xmlNode* domain = xmlDocGetRootElement(doc.get());
    DomainNeeds needs;
    if (const xmlNode* name = child(domain, "name")) needs.name = trimmed_text(name);
    bool failed = false;
    needs.hugepages = read_hugepages(domain, needs, error, &failed);
    if (failed) return std::nullopt;
    read_pci_hostdevs(domain, needs);
    return needs;
}

}  // namespace hotseat::hook
