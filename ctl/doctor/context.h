// What every doctor check may look at: the validated config, the places to look (overridable
// for tests), and each VM's domain as libvirt describes it, fetched once over a read-only
// connection and shared by all checks.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain_facts.h"
#include "domain_xml.h"
#include "hotseat/config.h"
#include "util/handles.h"

namespace hotseat::ctl::doctor {

struct DoctorOptions {
    std::string config_path = "/etc/hotseat/hotseat.toml";
    std::string hook_path;            // empty: where libvirtd reads hooks on this host (host_files.h)
    std::string modules_dep;          // empty: the running kernel's, where this host keeps it (host_files.h)
    std::string root = "/";           // the host's files outside /sys and /dev (/proc, /etc, /run) live here
    std::string qemu_version;         // "10.1.0": judge as if libvirt ran this QEMU; empty: ask libvirt
    std::string domain_capabilities;  // a `virsh domcapabilities` output to judge by; empty: ask libvirt
    bool json = false;
};

// A domain as read from libvirt.
struct DomainInfo {
    bool exists = false;
    std::string error;                       // why it could not be read (no connection, no such domain ...)
    std::optional<hook::DomainNeeds> needs;  // hostdevs and hugepages, as the hook reads them
    std::string balloon_model;               // <memballoon model=...>; "none" when absent or disabled
    std::string xml;                         // the whole XML, for checks that look for more (channels ...)
    std::optional<DomainFacts> facts;        // machine, firmware, hostdevs' guest addresses and ROMs ...
    bool active = false;                     // running (or paused) now
};

// The QEMU libvirt runs, as virConnectGetVersion reports it (or --qemu-version).
struct QemuVersion {
    std::optional<unsigned long> number;  // major * 1000000 + minor * 1000 + micro
    std::string error;                    // why it is unknown
    std::string text() const;             // "10.1.0"
};

// What libvirt offers a domain's emulator/machine (virConnectGetDomainCapabilities).
struct DomainCapabilities {
    bool known = false;
    std::string error;                  // why not known
    std::vector<std::string> firmware;  // <os><enum name='firmware'> values: bios, efi
    std::vector<std::string> loaders;   // <os><loader><value> paths
    bool efi() const;                   // a UEFI firmware libvirt can use
};

class DoctorContext {
public:
    DoctorContext(Config config, DoctorOptions options);
    ~DoctorContext();
    DoctorContext(const DoctorContext&) = delete;
    DoctorContext& operator=(const DoctorContext&) = delete;

    const Config& config() const { return config_; }
    const DoctorOptions& options() const { return options_; }

    // Opens the connection on first use; empty when it worked, else libvirt's message.
    const std::string& connection_error();
    // The domain named `vm`, read once.
    const DomainInfo& domain(const std::string& vm);
    // Asked once.
    const QemuVersion& qemu_version();
    // For the domain's emulator, arch, machine and type; asked once per combination.
    const DomainCapabilities& domain_capabilities(const DomainFacts& facts);
    // Sends guest-ping to the running domain's guest agent (virDomainQemuAgentCommand, which needs
    // a read-write connection: opened for this alone, the only thing the doctor writes, and
    // libvirt notes the domain "tainted: custom-ga-command"). Empty when it answered.
    struct AgentPing {
        bool asked = false;  // false: no read-write connection; `error` says why
        std::string error;   // empty: the agent answered
    };
    AgentPing ping_guest_agent(const std::string& vm);

private:
    DomainInfo read_domain(const std::string& vm);
    DomainCapabilities read_domain_capabilities(const DomainFacts& facts);

    Config config_;
    DoctorOptions options_;
    bool tried_connection_ = false;
    std::string connection_error_;
    util::VirConnect connection_;
    util::VirConnect writable_;  // for ping_guest_agent only
    std::map<std::string, DomainInfo> domains_;
    std::optional<QemuVersion> qemu_version_;
    std::map<std::string, DomainCapabilities> capabilities_;
};

// "10.1" or "10.1.0" as libvirt's version number; nullopt when it is not one.
std::optional<unsigned long> parse_version(const std::string& text);
// <domainCapabilities> XML; known=false and why in `error` when it cannot be used.
DomainCapabilities parse_domain_capabilities(const std::string& xml);

}  // namespace hotseat::ctl::doctor
