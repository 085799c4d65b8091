#include "context.h"

#include <libvirt/libvirt.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>

#include "libvirt/errors.h"

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
    xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "domain.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    std::string model = "none";
    if (const xmlNode* balloon = child(child(doc ? xmlDocGetRootElement(doc) : nullptr, "devices"), "memballoon")) {
        xmlChar* value = xmlGetProp(balloon, reinterpret_cast<const xmlChar*>("model"));
        if (value) model = reinterpret_cast<const char*>(value);
        xmlFree(value);
    }
    if (doc) xmlFreeDoc(doc);
    return model;
}

}  // namespace

DoctorContext::DoctorContext(Config config, DoctorOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

DoctorContext::~DoctorContext() {
    if (connection_) virConnectClose(connection_);
}

const std::string& DoctorContext::connection_error() {
    if (!tried_connection_) {
        tried_connection_ = true;
        libvirt::silence_libvirt_errors();
        connection_ = virConnectOpenReadOnly(config_.supervisor.libvirt_uri.c_str());
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
    virDomainPtr domain = virDomainLookupByName(connection_, vm.c_str());
    if (!domain) {
        info.error = libvirt::last_error_message();
        return info;
    }
    info.exists = true;
    char* xml = virDomainGetXMLDesc(domain, 0);
    if (!xml) info.error = "cannot read its XML: " + libvirt::last_error_message();
    virDomainFree(domain);
    if (!xml) return info;
    std::string text = xml;
    std::free(xml);
    info.xml = text;
    std::string parse_error;
    info.needs = hook::parse_domain_xml(text, &parse_error);
    if (!info.needs) info.error = "its XML cannot be used: " + parse_error;
    else info.balloon_model = memballoon_model(text);
    return info;
}

}  // namespace hotseat::ctl::doctor
