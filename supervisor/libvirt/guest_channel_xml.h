// Finds the guest channel (docs/guest-channel.md) in a libvirt domain XML: a `<channel type='unix'>` whose
// `<target type='virtio' name='org.hotseat.guest.0'/>`, and its `<source mode='bind' path=.../>`.
// In a running domain's XML libvirt always fills the path in (it picks one under
// /var/lib/libvirt/qemu/channel/target/ when the definition gave none), so hotseatd reads the
// live XML each time the VM starts rather than asking for the path in its own config. Pure.
#pragma once

#include <string>
#include <string_view>

namespace hotseat::libvirt {

struct GuestChannelXml {
    bool present = false;  // a unix virtio channel with the name is defined
    std::string path;      // its socket; empty when the XML leaves it to libvirt (inactive XML)
    std::string problem;   // present but unusable (mode='connect'): why
};

GuestChannelXml find_guest_channel(std::string_view domain_xml);

// Where a guest channel's socket belongs (docs/guest-channel.md): a directory hotseat's
// tmpfiles.d entry makes, whose default ACL lets hotseatd's user connect to what libvirt creates.
inline constexpr std::string_view kGuestChannelDir = "/run/hotseat-guest/";

// Why hotseatd, running as its own user, cannot connect to a socket at `path` (empty: the XML
// leaves the path to libvirt); empty when the path is in kGuestChannelDir or nothing is known
// against it.
std::string guest_channel_location_problem(std::string_view path);

}  // namespace hotseat::libvirt
