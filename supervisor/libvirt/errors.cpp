#include "libvirt/errors.h"

#include <libvirt/virterror.h>

namespace hotseat::libvirt {

namespace {
void ignore_error(void*, virErrorPtr) {}
}  // namespace

void silence_libvirt_errors() { virSetErrorFunc(nullptr, ignore_error); }

std::string last_error_message() {
    const virError* error = virGetLastError();
    if (error == nullptr || error->message == nullptr) return "unknown libvirt error";
    return error->message;
}

bool connection_is_dead(virConnectPtr connection) {
    // virConnectIsAlive is the authority: an RPC failure reports VIR_ERR_SYSTEM_ERROR, but so do
    // ordinary refusals (a failing QEMU start), and those must not cost a reconnect.
    return virConnectIsAlive(connection) != 1;
}

}  // namespace hotseat::libvirt
