// Fuzz target: the hook's reading of the domain XML libvirt passes on stdin (parse_domain_xml).
// It must refuse or accept, never crash, and whatever it accepts must be usable by prepare.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain_xml.h"

// scripts/fuzz gives inputs up to one byte over the hook's own limit (fuzz/CMakeLists.txt).
static_assert(HOTSEAT_FUZZ_MAX_LEN == hotseat::hook::kMaxDomainXmlBytes + 1);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string error;
    auto needs = hotseat::hook::parse_domain_xml(std::string_view(reinterpret_cast<const char*>(data), size), &error);
    if (!needs) {
        if (error.empty()) std::abort();  // a refusal says why
        return 0;
    }
    if (needs->hugepages && needs->hugepages->page_kib == 0) std::abort();
    for (const auto& pci : needs->pci_devices)
        if (pci.empty()) std::abort();
    return 0;
}
