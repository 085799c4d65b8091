#include "libvirt_answers.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <stdexcept>

#include "libvirt/hostdev_xml.h"
#include "util/handles.h"

namespace hotseat::test {
namespace {

std::string last_message() {
    const virError* error = virGetLastError();
    return error && error->message ? error->message : "(libvirt gave no message)";
}

}  // namespace

std::optional<std::string> libvirt_usb_refusal(const std::string& uri, const std::string& domain, UsbOp op,
                                               const UsbHostDevice& device) {
    auto xml = libvirt::usb_hostdev_xml(device);
    if (!xml) throw std::invalid_argument("libvirt_usb_refusal: an invalid USB device never reaches libvirt");
    util::VirConnect connection(virConnectOpen(uri.c_str()));
    if (!connection) throw std::runtime_error("cannot connect to " + uri + ": " + last_message());
    util::VirDomain handle(virDomainLookupByName(connection.get(), domain.c_str()));
    if (!handle) throw std::runtime_error("no domain " + domain + " at " + uri + ": " + last_message());
    int r = op == UsbOp::Attach ? virDomainAttachDeviceFlags(handle.get(), xml->c_str(), VIR_DOMAIN_AFFECT_LIVE)
                                : virDomainDetachDeviceFlags(handle.get(), xml->c_str(), VIR_DOMAIN_AFFECT_LIVE);
    std::optional<std::string> refusal;
    if (r < 0) refusal = last_message();  // before the domain is freed, which resets it
    return refusal;
}

}  // namespace hotseat::test
