// Hugepages a domain asks for (<memoryBacking><hugepages/>) against the pool the kernel has now
// (docs/design.md "Hardware facts" 6): pages already free count, the rest the hook must allocate at start.
// Whether the host has the memory for those, contiguous enough, is the memory check's to judge
// (memory_check.cpp).
#include "checks.h"
#include "hugepages.h"
#include "sysfs.h"

namespace hotseat::ctl::doctor {
namespace {

namespace sysfs = hook::sysfs;

std::string mib(std::uint64_t kib) { return std::to_string(kib / 1024) + " MiB"; }

Finding pool_finding(const std::string& vm, const hook::HugepageRequest& request) {
    Finding f{.check = "", .vm = vm, .severity = Severity::Ok, .message = "", .fix = ""};
    const std::string size = std::to_string(request.page_kib) + " kB";
    const std::string dir = hook::hugepage_pool_dir(request.page_kib);
    const std::string asked = "the domain asks for " + std::to_string(request.pages) + " hugepages of " + size + " (" +
                              mib(request.pages * request.page_kib) + ")";
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
    f.message = asked + now + "; the hook allocates the " + std::to_string(missing) + " missing at start (" +
                mib(missing * request.page_kib) + "; whether the host has them: see memory)";
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
            out.push_back({.check = "",
                           .vm = vm.name,
                           .severity = Severity::Ok,
                           .message = "the domain does not ask for hugepages",
                           .fix = ""});
    }
}

}  // namespace hotseat::ctl::doctor
