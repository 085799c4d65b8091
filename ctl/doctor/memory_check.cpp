// Whether the host has the memory a VM takes when it starts, judged the way the kernel can give
// it (docs/design.md "Hardware facts" 3, 6):
// - A VM with PCI passthrough has all of its RAM pinned by VFIO: it must fit in MemAvailable
//   (free memory plus what the kernel can reclaim), not in MemFree. A server whose page cache
//   fills its RAM is healthy.
// - A VM backed by hugepages needs the pages the pool lacks allocated by the hook at start: that
//   memory from MemAvailable, and each page as one physically contiguous block. Those exist only
//   as free blocks of the page's order or above in /proc/buddyinfo (order 9 for 2 MiB pages on
//   4 KiB base pages); the hook compacts first, which may or may not find enough.
// /proc/meminfo and /proc/buddyinfo are read under DoctorOptions::root.
#include <unistd.h>

#include <sstream>

#include "checks.h"
#include "host_files.h"
#include "hugepages.h"
#include "sysfs.h"

namespace hotseat::ctl::doctor {
namespace {

namespace sysfs = hook::sysfs;

std::string mib(std::uint64_t kib) { return std::to_string(kib / 1024) + " MiB"; }

std::optional<std::uint64_t> meminfo_kib(const DoctorOptions& options, const std::string& key) {
    auto text = read_host_file(host_file(options, "/proc/meminfo"), 64 * 1024);
    if (!text) return std::nullopt;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string name;
        std::uint64_t kib = 0;
        if (words >> name >> kib && name == key + ":") return kib;
    }
    return std::nullopt;
}

// Free blocks that can hold one page of 2^order base pages: each free block of order k >= order
// holds 2^(k-order) of them. "Node 0, zone   Normal  <count order 0> <count order 1> ...". The
// DMA zone (the first 16 MiB) is left out: the kernel does not allocate hugepages there.
std::optional<std::uint64_t> free_blocks(const DoctorOptions& options, unsigned order) {
    auto text = read_host_file(host_file(options, "/proc/buddyinfo"), 64 * 1024);
    if (!text) return std::nullopt;
    std::uint64_t blocks = 0;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string node, number, zone_word, zone;
        if (!(words >> node >> number >> zone_word >> zone) || zone_word != "zone") continue;
        if (zone == "DMA") continue;
        std::uint64_t count = 0;
        for (unsigned k = 0; words >> count; ++k)
            if (k >= order && k - order < 63) blocks += count << (k - order);
    }
    return blocks;
}

unsigned page_order(std::uint64_t page_kib) {
    long base = ::sysconf(_SC_PAGESIZE);
    std::uint64_t base_kib = base > 0 ? static_cast<std::uint64_t>(base) / 1024 : 4;
    unsigned order = 0;
    while ((base_kib << order) < page_kib && order < 40) ++order;
    return order;
}

Finding finding(const std::string& vm, Severity severity, std::string message, std::string fix = "") {
    return Finding{.check = "", .vm = vm, .severity = severity, .message = std::move(message), .fix = std::move(fix)};
}

Finding pinned(const std::string& vm, std::uint64_t guest_kib, std::optional<std::uint64_t> available) {
    const std::string what = "VFIO pins all " + mib(guest_kib) + " of the guest's RAM at start";
    if (!available)
        return finding(vm, Severity::Warning, what + ", and MemAvailable cannot be read",
                       "check free -m before starting it");
    if (guest_kib > *available)
        return finding(vm, Severity::Error,
                       what + ", but only " + mib(*available) +
                           " are available (MemAvailable): the host would "
                           "swap or kill processes to make room",
                       "lower <memory> of the domain, or free memory on the host before it starts");
    return finding(vm, Severity::Ok,
                   what + "; " + mib(*available) + " are available (MemAvailable), " + mib(*available - guest_kib) +
                       " would be left");
}

Finding hugepages(const DoctorOptions& options, const std::string& vm, const hook::HugepageRequest& request,
                  std::optional<std::uint64_t> available) {
    std::string error;
    const std::string dir = hook::hugepage_pool_dir(request.page_kib);
    auto free = sysfs::read_number(dir + "/free_hugepages", &error);
    if (!free)
        return finding(vm, Severity::Ok,
                       "no pool of " + std::to_string(request.page_kib) + " kB pages to judge (see hugepages)");
    if (*free >= request.pages)
        return finding(vm, Severity::Ok,
                       "the " + std::to_string(request.pages) +
                           " hugepages it needs are free in "
                           "the pool already");
    const std::uint64_t missing = request.pages - *free;
    const std::uint64_t missing_kib = missing * request.page_kib;
    const std::string what = "the hook must allocate " + std::to_string(missing) + " more hugepages of " +
                             std::to_string(request.page_kib) + " kB (" + mib(missing_kib) + ") at start";
    const std::string reserve = "reserve them at boot (hugepages=" + std::to_string(request.pages) +
                                " on the kernel command line) so they are there when it starts";
    if (!available) return finding(vm, Severity::Warning, what + ", and MemAvailable cannot be read", reserve);
    if (missing_kib > *available)
        return finding(vm, Severity::Error, what + ", but only " + mib(*available) + " are available (MemAvailable)",
                       "free memory, lower <memory> of the domain, or " + reserve);
    const unsigned order = page_order(request.page_kib);
    auto blocks = free_blocks(options, order);
    const std::string avail = mib(*available) + " available";
    if (!blocks)
        return finding(vm, Severity::Warning,
                       what + " (" + avail +
                           "), and /proc/buddyinfo cannot be read to tell "
                           "whether memory is contiguous enough",
                       reserve);
    const std::string contiguous = std::to_string(*blocks) + " free blocks of order " + std::to_string(order) +
                                   " or above (/proc/buddyinfo)";
    if (*blocks < missing)
        return finding(vm, Severity::Warning,
                       what + ": " + avail + ", but only " + contiguous +
                           ": the hook compacts memory first and may "
                           "still fall short, and then the start fails",
                       reserve);
    return finding(vm, Severity::Ok, what + ": " + avail + ", " + contiguous);
}

}  // namespace

void check_memory(DoctorContext& context, Findings& out) {
    for (const auto& vm : context.config().vms) {
        const DomainInfo& domain = context.domain(vm.name);
        if (!domain.needs || !domain.facts) continue;  // check_domain said why
        if (domain.active) {
            out.push_back(finding(vm.name, Severity::Ok, "the VM runs: its memory is taken already"));
            continue;
        }
        auto available = meminfo_kib(context.options(), "MemAvailable");
        if (domain.needs->hugepages)
            out.push_back(hugepages(context.options(), vm.name, *domain.needs->hugepages, available));
        else if (!domain.needs->pci_devices.empty())
            out.push_back(pinned(vm.name, domain.facts->memory_kib, available));
        else
            out.push_back(finding(
                vm.name, Severity::Ok,
                "its " + mib(domain.facts->memory_kib) + " are not pinned: the host can reclaim what it does not use"));
    }
}

}  // namespace hotseat::ctl::doctor
