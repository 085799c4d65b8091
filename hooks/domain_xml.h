// What the hook needs to know from the domain XML libvirt passes on stdin.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotseat::hook {

inline constexpr std::size_t kMaxDomainXmlBytes = 1024 * 1024;
inline constexpr std::uint64_t kDefaultHugepageKiB = 2048;

struct HugepageRequest {
    std::uint64_t page_kib = kDefaultHugepageKiB;
    std::uint64_t pages = 0;  // enough pages of that size to back all of <memory>
};

struct DomainNeeds {
    std::string name;                          // <name>, for a consistency check
    std::optional<HugepageRequest> hugepages;  // set when <memoryBacking><hugepages> asks for them
    std::vector<std::string> pci_devices;      // <hostdev type='pci'> sources, "0000:00:02.0"
    std::vector<std::string> ignored;          // parts left alone, one sentence each, for the log
};

// Parses the XML of one domain. Refuses (nullopt, *error says why) anything larger than
// kMaxDomainXmlBytes, a DOCTYPE or entity declaration, XML that is not well-formed, a root that
// is not <domain>, and hugepages without a usable <memory>. Never touches the network.
std::optional<DomainNeeds> parse_domain_xml(std::string_view xml, std::string* error);

}  // namespace hotseat::hook
