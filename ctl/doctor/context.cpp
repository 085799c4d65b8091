#include "context.h"

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cctype>
#include <cstring>

#include "host_files.h"
#include "libvirt/errors.h"
#include "util/handles.h"
#include "util/xml_handles.h"

namespace hotseat::ctl::doctor {
namespace {

const xmlNode* child(const xmlNode* parent, const char* name) {
    for (const xmlNode* n = parent ? parent->children : nullptr; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0) return n;
    return nullptr;
}

// <devices><memballoon model='virtio'/>: the model, or "none" when there is no balloon at all.
// The XML was already accepted by the hook's parser (size, no DOCTYPE, well-formed).
std::string memballoon_model(const std::string& xml) {
    util::XmlDoc doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    std::string model = "none";
    if (const xmlNode* balloon = child(child(doc ? xmlDocGetRootElement(doc.get()) : nullptr, "devices"),
                                       "memballoon")) {
        util::XmlString value(xmlGetProp(balloon, reinterpret_cast<const xmlChar*>("model")));
        if (value) model = util::to_string(value);
    }
    return model;
}

}  // namespace

std::string QemuVersion::text() const {
    if (!number) return "unknown";
    return std::to_string(*number / 1000000) + "." + std::to_string(*number / 1000 % 1000) + "." +
           std::to_string(*number % 1000);
}

bool DomainCapabilities::efi() const {
    for (const auto& f : firmware)
        if (f == "efi") return true;
    // Without firmware autoselection libvirt lists the loaders it knows; any is a UEFI one.
    return firmware.empty() && !loaders.empty();
}

std::optional<unsigned long> parse_version(const std::string& text) {
    unsigned long part[3] = {0, 0, 0};
    std::size_t at = 0;
    for (int i = 0; i < 3; ++i) {
        std::size_t end = at;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
        if (end == at || end - at > 3) return std::nullopt;
        part[i] = std::stoul(text.substr(at, end - at));
        if (end == text.size())
            return i >= 1 ? std::optional<unsigned long>(part[0] * 1000000 + part[1] * 1000 + part[2]) : std::nullopt;
        if (text[end] != '.') return std::nullopt;
        at = end + 1;
    }
    return std::nullopt;
}

DomainCapabilities parse_domain_capabilities(const std::string& xml) {
    DomainCapabilities caps;
    util::XmlDoc doc(xml.find("<!DOCTYPE") == std::string::npos
                         ? xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domcapabilities.xml", nullptr,
                                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
                         : nullptr);
    const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
    if (!root || std::strcmp(reinterpret_cast<const char*>(root->name), "domainCapabilities") != 0) {
        caps.error = "not a <domainCapabilities> document";
        return caps;
    }
    const xmlNode* os = child(root, "os");
    if (!os) {
        // An answer without <os> says nothing about firmware (libvirt 11's TEST driver answers
        // so; QEMU's always has it, <os supported='no'/> included): unknown, not "none".
        caps.error = "its answer describes no firmware (no <os> element)";
        return caps;
    }
    caps.known = true;
    auto values = [](const xmlNode* parent, std::vector<std::string>& out) {
        for (const xmlNode* n = parent ? parent->children : nullptr; n; n = n->next) {
            if (n->type != XML_ELEMENT_NODE || std::strcmp(reinterpret_cast<const char*>(n->name), "value") != 0)
                continue;
            util::XmlString content(xmlNodeGetContent(n));
            if (content) out.push_back(util::to_string(content));
        }
    };
    for (const xmlNode* n = os ? os->children : nullptr; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || std::strcmp(reinterpret_cast<const char*>(n->name), "enum") != 0) continue;
        util::XmlString name(xmlGetProp(n, reinterpret_cast<const xmlChar*>("name")));
        if (util::to_string(name) == "firmware") values(n, caps.firmware);
    }
    values(child(os, "loader"), caps.loaders);
    return caps;
}

DoctorContext::DoctorContext(Config config, DoctorOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

DoctorContext::~DoctorContext() = default;

DoctorContext::AgentPing DoctorContext::ping_guest_agent(const std::string& vm) {
    AgentPing ping;
    if (!writable_) writable_.reset(virConnectOpen(config_.supervisor.libvirt_uri.c_str()));
    if (!writable_) {
        ping.error = "no read-write connection to " + config_.supervisor.libvirt_uri + ": " +
                     libvirt::last_error_message();
        return ping;
    }
    ping.asked = true;
    util::VirDomain domain(virDomainLookupByName(writable_.get(), vm.c_str()));
    if (!domain) {
        ping.error = libvirt::last_error_message();
        return ping;
    }
    constexpr int kTimeoutS = 5;  // libvirt's own wait for the agent's guest-sync
    util::Malloced<char> reply(virDomainQemuAgentCommand(domain.get(), R"({"execute":"guest-ping"})", kTimeoutS, 0));
    if (!reply) ping.error = libvirt::last_error_message();
    return ping;
}

const std::string& DoctorContext::connection_error() {
    if (!tried_connection_) {
        tried_connection_ = true;
        libvirt::silence_libvirt_errors();
        connection_.reset(virConnectOpenReadOnly(config_.supervisor.libvirt_uri.c_str()));
        if (!connection_) {
            connection_error_ = libvirt::last_error_message();
            if (connection_error_.empty()) connection_error_ = "the connection failed";
        }
    }
    return connection_error_;
}

const DomainInfo& DoctorContext::domain(const std::string& vm) {
    auto found = domains_.find(vm);
    if (found == domains_.end()) found = domains_.emplace(vm, read_domain(vm)).first;
    return found->second;
}

DomainInfo DoctorContext::read_domain(const std::string& vm) {
    DomainInfo info;
    if (!connection_error().empty()) {
        info.error = "cannot connect to " + config_.supervisor.libvirt_uri + ": " + connection_error_;
        return info;
    }
    util::VirDomain domain(virDomainLookupByName(connection_.get(), vm.c_str()));
    if (!domain) {
        info.error = libvirt::last_error_message();
        return info;
    }
    info.exists = true;
    info.active = virDomainIsActive(domain.get()) == 1;
    util::Malloced<char> xml(virDomainGetXMLDesc(domain.get(), 0));
    if (!xml) {
        info.error = "cannot read its XML: " + libvirt::last_error_message();
        return info;
    }
    std::string text = xml.get();
    info.xml = text;
    std::string parse_error;
    info.needs = hook::parse_domain_xml(text, &parse_error);
    if (!info.needs) {
        info.error = "its XML cannot be used: " + parse_error;
        return info;
    }
    info.balloon_model = memballoon_model(text);
    info.facts = parse_domain_facts(text, &parse_error);
    return info;
}

const QemuVersion& DoctorContext::qemu_version() {
    if (qemu_version_) return *qemu_version_;
    QemuVersion version;
    if (!options_.qemu_version.empty()) {
        version.number = parse_version(options_.qemu_version);
        if (!version.number) version.error = "--qemu-version " + options_.qemu_version + " is not a version";
    } else if (!connection_error().empty()) {
        version.error = "cannot connect to " + config_.supervisor.libvirt_uri + ": " + connection_error_;
    } else {
        const char* type = virConnectGetType(connection_.get());
        unsigned long number = 0;
        if (!type || std::strcmp(type, "QEMU") != 0)
            version.error = std::string("libvirt's ") + (type ? type : "unknown") + " driver runs no QEMU";
        else if (virConnectGetVersion(connection_.get(), &number) != 0 || number == 0)
            version.error = "libvirt does not say: " + libvirt::last_error_message();
        else
            version.number = number;
    }
    qemu_version_ = version;
    return *qemu_version_;
}

const DomainCapabilities& DoctorContext::domain_capabilities(const DomainFacts& facts) {
    const std::string key = facts.emulator + "|" + facts.arch + "|" + facts.machine + "|" + facts.type;
    auto found = capabilities_.find(key);
    if (found == capabilities_.end()) found = capabilities_.emplace(key, read_domain_capabilities(facts)).first;
    return found->second;
}

DomainCapabilities DoctorContext::read_domain_capabilities(const DomainFacts& facts) {
    if (!options_.domain_capabilities.empty()) {
        auto text = read_host_file(options_.domain_capabilities);
        if (!text)
            return DomainCapabilities{
                .known = false, .error = "cannot read " + options_.domain_capabilities, .firmware = {}, .loaders = {}};
        return parse_domain_capabilities(*text);
    }
    if (!connection_error().empty())
        return DomainCapabilities{
            .known = false, .error = "cannot connect to libvirt: " + connection_error_, .firmware = {}, .loaders = {}};
    auto ask = [&](virConnectPtr connection) {
        return util::Malloced<char>(virConnectGetDomainCapabilities(
            connection, facts.emulator.empty() ? nullptr : facts.emulator.c_str(),
            facts.arch.empty() ? nullptr : facts.arch.c_str(), facts.machine.empty() ? nullptr : facts.machine.c_str(),
            facts.type.empty() ? nullptr : facts.type.c_str(), 0));
    };
    util::Malloced<char> xml = ask(connection_.get());
    std::string error = xml ? "" : libvirt::last_error_message();
    if (!xml) {
        // libvirtd answers this only on a read-write connection; open one for this question
        // alone (root or the libvirt group may), and say why when that is refused too.
        util::VirConnect writable(virConnectOpen(config_.supervisor.libvirt_uri.c_str()));
        if (writable) {
            xml = ask(writable.get());
            if (!xml) error = libvirt::last_error_message();
        }
    }
    if (!xml)
        return DomainCapabilities{
            .known = false, .error = error.empty() ? "libvirt does not say" : error, .firmware = {}, .loaders = {}};
    return parse_domain_capabilities(xml.get());
}

}  // namespace hotseat::ctl::doctor
