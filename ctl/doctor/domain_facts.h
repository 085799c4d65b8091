// What the doctor's IGD, firmware and memory checks read from a domain's XML beyond what the
// hook needs (hooks/domain_xml.h): the machine, the firmware, each PCI hostdev's guest address,
// alias and option ROM, and the QEMU device properties set through <qemu:override> or
// <qemu:commandline> (libvirt's QEMU namespace, docs/examples/arch-desktop.xml).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotseat::ctl::doctor {

struct HostdevFacts {
    std::string source;         // the host device, "0000:00:02.0" (lower case)
    std::string guest_address;  // its <address type='pci'> in the guest, same form; empty: libvirt chooses
    std::string alias;          // <alias name=...>; empty when none
    bool has_rom = false;       // a <rom> element at all
    std::string rom_file;       // <rom file=...>; empty when none
    std::string rom_bar;        // <rom bar=...>: "on", "off" or empty
};

// A <channel> of the domain: its type (unix, pty ...) and its <target>'s name and, in a running
// domain's XML, state (connected: a process in the guest has the port open).
struct ChannelFacts {
    std::string type;
    std::string name;   // <target name=...>, e.g. org.qemu.guest_agent.0
    std::string state;  // <target state=...>: connected, disconnected, or empty
};

// A QEMU device property as the domain sets it: "true"/"false" for a bool from <qemu:override>,
// "on"/"off" from a -device or -set argument; nullopt when the domain leaves it to QEMU.
enum class Switch { On, Off };

struct DomainFacts {
    std::string type;                    // <domain type=...>: kvm, qemu, test ...
    std::string arch;                    // <os><type arch=...>
    std::string machine;                 // <os><type machine=...>: q35, pc, pc-q35-8.2 ...
    std::string emulator;                // <devices><emulator>; empty when libvirt picks it
    std::string firmware;                // <os firmware=...>: efi, bios or empty
    std::uint64_t memory_kib = 0;        // <memory>
    std::vector<HostdevFacts> hostdevs;  // PCI hostdevs, in document order
    // <qemu:override><qemu:device alias=A><qemu:frontend><qemu:property name=N value=V>: A → N → V.
    std::map<std::string, std::map<std::string, std::string>> overrides;
    std::vector<std::string> commandline;  // <qemu:commandline><qemu:arg value=...>, in order
    std::vector<ChannelFacts> channels;    // <devices><channel>, in document order
    // <pm><suspend-to-disk enabled=...> and <suspend-to-mem ...>: "yes", "no", or empty (QEMU's
    // default). libvirt refuses to hibernate a domain with suspend-to-disk "no".
    std::string suspend_to_disk;
    std::string suspend_to_mem;

    const ChannelFacts* channel(const std::string& name) const;  // by target name

    const HostdevFacts* hostdev(const std::string& source) const;  // by host address, any case
    bool i440fx() const;                                           // machine pc / pc-i440fx-*
    // The value of a vfio-pci property of `hostdev` (e.g. "x-igd-opregion"), from the overrides
    // on its alias or from a command-line argument naming it.
    std::optional<Switch> device_property(const HostdevFacts& hostdev, const std::string& property) const;
};

// Parses a domain's XML (as libvirt returns it; at most hook::kMaxDomainXmlBytes, no DOCTYPE).
std::optional<DomainFacts> parse_domain_facts(std::string_view xml, std::string* error);

// "0000:00:02.0" from an <address type='pci' domain= bus= slot= function=> (hex attributes);
// empty when an attribute is missing or not a number.
std::string pci_address_text(unsigned domain, unsigned bus, unsigned slot, unsigned function);

}  // namespace hotseat::ctl::doctor
