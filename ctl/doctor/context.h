// What every doctor check may look at: the validated config, the places to look (overridable
// for tests), and each VM's domain as libvirt describes it, fetched once over a read-only
// connection and shared by all checks.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "domain_xml.h"
#include "hotseat/config.h"

typedef struct _virConnect* virConnectPtr;

namespace hotseat::ctl::doctor {

struct DoctorOptions {
    std::string config_path = "/etc/hotseat/hotseat.toml";
    std::string hook_path = "/etc/libvirt/hooks/qemu.d/hotseat";
    std::string modules_dep;  // empty: /lib/modules/<uname -r>/modules.dep
    bool json = false;
};

// A domain as read from libvirt.
struct DomainInfo {
    bool exists = false;
    std::string error;                 // why it could not be read (no connection, no such domain ...)
    std::optional<hook::DomainNeeds> needs;  // hostdevs and hugepages, as the hook reads them
    std::string balloon_model;         // <memballoon model=...>; "none" when absent or disabled
    std::string xml;                   // the whole XML, for checks that look for more (channels ...)
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

private:
    DomainInfo read_domain(const std::string& vm);

    Config config_;
    DoctorOptions options_;
    bool tried_connection_ = false;
    std::string connection_error_;
    virConnectPtr connection_ = nullptr;
    std::map<std::string, DomainInfo> domains_;
};

}  // namespace hotseat::ctl::doctor
