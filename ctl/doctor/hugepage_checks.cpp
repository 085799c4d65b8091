// Hugepages a domain asks for (<memoryBacking><hugepages/>) against the pool the kernel has now
// (DESIGN §3 fact 6): pages already free count, the rest the hook must allocate at start, which
// needs that much free memory (fragmentation may still yield fewer: the hook verifies).
#include <sstream>

#include "checks.h"
#include "hugepages.h"
#include "sysfs.h"

namespace hotseat::ctl::doctor {
namespace {

namespace sysfs = hook::sysfs;

std::string mib(std::uint64_t kib) { return std::to_string(kib / 1024) + " MiB"; }

// MemFree summed over the NUMA nodes (/sys/devices/system/node/node*/meminfo, lines such as
// "Node 0 MemFree:  123456 kB"); nullopt when no node says.
std::optional<std::uint64_t> free_memory_kib() {
    std::optional<std::uint64_t> total;
    for (const auto& entry : sysfs::list("/sys/devices/system/node")) {
        if (entry.name.rfind("node", 0) != 0) continue;
        std::string error;
        auto text = sysfs::read("/sys/devices/system/node/" + entry.name + "/meminfo", &error);
        if (!text) continue;
        std::istringstream lines(*text);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream words(line);
            std::string node, number, key;
            std::uint64_t kib = 0;
            if (words >> node >> number >> key >> kib && key == "MemFree:") total = total.value_or(0) + kib;
        }
    }
    return total;
}

Finding pool_finding(const std::string& vm, const hook::HugepageRequest& request) {
    Finding f{.check = "", .vm = vm, .severity = Severity::Ok, .message = "", .fix = ""};
    const std::string size = std::to_string(request.page_kib) + " kB";
    const std::string dir = hook::hugepage_pool_dir(request.page_kib);
    const std::string asked = "the domain asks for " + std::to_string(request.pages) + " hugepages of " + size +
                              " (" + mib(request.pages * request.page_kib) + ")";
    std::string error;
    auto total = sysfs::read_number(dir + "/nr_hugepages", &error);
    auto free = total ? sysfs::read_number(dir + "/free_hugepages", &error) : std::nullopt;
    if (!total || !free) {
        f.severity = Severity::Error;
        f.message = asked + " but this kernel has no such pool (" + error + ")";
        f.fix = "use a page size the CPU supports (<page size='2048' unit='KiB'/>) or boot with hugepagesz=";
        return f;
    }
    const std::string now = ": " + std::to_string(*free) + " free of " + std::to_string(*total);
    if (*free >= request.pages) {
        f.message = asked + now;
        return f;
    }
    const std::uint64_t missing = request.pages - *free;
    const std::uint64_t missing_kib = missing * request.page_kib;
    auto memory = free_memory_kib();
    const std::string reserve = "reserve them at boot (hugepages=" + std::to_string(request.pages) +
                                " on the kernel command line, or hugepagesz= for other sizes)";
    if (!memory) {
        f.severity = Severity::Warning;
        f.message = asked + now + "; the hook must allocate " + std::to_string(missing) +
                    " more at start, and the free memory is unknown";
        f.fix = reserve;
    } else if (missing_kib > *memory) {
        f.severity = Severity::Error;
        f.message = asked + now + "; the " + std::to_string(missing) + " missing need " + mib(missing_kib) +
                    " but only " + mib(*memory) + " is free";
        f.fix = "free memory, lower <memory> of the domain, or " + reserve;
    } else {
        f.message = asked + now + "; the hook allocates the " + std::to_string(missing) + " missing at start (" +
                    mib(missing_kib) + " of " + mib(*memory) + " free)";
    }
    return f;
}

}  // namespace

void check_hugepages(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.needs) continue;
        if (domain.needs->hugepages)
            out.push_back(pool_finding(vm.name, *domain.needs->hugepages));
        else
            out.push_back({.check = "", .vm = vm.name, .severity = Severity::Ok,
                           .message = "the domain does not ask for hugepages", .fix = ""});
    }
}

}  // namespace hotseat::ctl::doctor
