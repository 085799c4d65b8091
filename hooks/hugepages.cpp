#include "hugepages.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

#include "sysfs.h"

namespace hotseat::hook {
namespace {

const std::string kNodeDir = "/sys/devices/system/node";

bool is_node_name(const std::string& name) {
    return name.size() > 4 && name.compare(0, 4, "node") == 0 &&
           std::all_of(name.begin() + 4, name.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Asks every NUMA node to defragment its free memory, so that the allocation finds runs of
// contiguous pages. Best effort: a failure only makes a shortfall likelier.
void compact_memory(const Log& log) {
    int nodes = 0;
    for (const auto& entry : sysfs::list(kNodeDir)) {
        std::string compact = kNodeDir + "/" + entry.name + "/compact";
        if (!is_node_name(entry.name) || !sysfs::exists(compact)) continue;
        Status written = sysfs::write(compact, "1");
        if (!written) log.warning("memory compaction: ", written.error());
        ++nodes;
    }
    if (nodes == 0)
        log.warning("no NUMA node offers memory compaction (", kNodeDir, "/node*/compact)");
    else
        log.info("compacted memory on ", nodes, " NUMA node(s)");
}

// "2M" or "1G" for the kernel parameter hugepagesz=.
std::string kernel_size(std::uint64_t page_kib) {
    if (page_kib % (1024 * 1024) == 0) return std::to_string(page_kib / (1024 * 1024)) + "G";
    if (page_kib % 1024 == 0) return std::to_string(page_kib / 1024) + "M";
    return std::to_string(page_kib) + "K";
}

// Free pages nobody has claimed yet; 0 when the kernel does not say.
std::uint64_t unclaimed_pages(const std::string& pool, const Log& log) {
    std::string error;
    auto free_pages = sysfs::read_number(pool + "/free_hugepages", &error);
    auto reserved = free_pages ? sysfs::read_number(pool + "/resv_hugepages", &error) : std::nullopt;
    if (!reserved) {
        log.warning("counting free hugepages: ", error, "; assuming none");
        return 0;
    }
    return *free_pages > *reserved ? *free_pages - *reserved : 0;
}

std::string shortfall(const HugepageRequest& request, const Step& step) {
    std::uint64_t missing = step.target_pages - step.got_pages;
    return "only " + std::to_string(step.got_pages - std::min(step.got_pages, step.old_pages)) + " of the " +
           std::to_string(step.target_pages - step.old_pages) + " more hugepages of " +
           std::to_string(request.page_kib) + " kB the guest needs could be allocated: " + std::to_string(missing) +
           " missing (host memory is too fragmented or too small). Reserve them at boot with the kernel "
           "parameters 'hugepagesz=" +
           kernel_size(request.page_kib) + " hugepages=" + std::to_string(request.pages) +
           "', or give the guest less memory";
}

// Raises nr_hugepages to step.target_pages under the journal and reads back what the kernel got.
Status raise_pool(const std::string& nr_path, Step draft, const HugepageRequest& request, Journal& journal,
                  const Log& log) {
    Status status;
    Step* step = journal.begin(draft, &status);
    if (!step) return status;
    status = sysfs::write(nr_path, std::to_string(step->target_pages));
    if (!status) return status;
    std::string error;
    auto got = sysfs::read_number(nr_path, &error);
    if (!got) return Status::failure(error);
    step->got_pages = *got;
    status = journal.done(*step);
    if (!status) return status;
    if (*got < step->target_pages) return Status::failure(shortfall(request, *step));
    log.info("hugepages: ", nr_path, " raised from ", step->old_pages, " to ", *got);
    return Status::ok();
}

// MemTotal from /proc/meminfo ("MemTotal:       12058072 kB"), in kB.
std::optional<std::uint64_t> mem_total_kib(std::string* error) {
    auto text = sysfs::read("/proc/meminfo", error);
    if (!text) return std::nullopt;
    constexpr std::string_view kKey = "MemTotal:";
    auto at = text->find(kKey);
    if (at != 0 && at != std::string::npos && (*text)[at - 1] != '\n') at = std::string::npos;
    if (at == std::string::npos) {
        *error = "/proc/meminfo has no MemTotal";
        return std::nullopt;
    }
    std::size_t digits = text->find_first_not_of(' ', at + kKey.size());
    std::size_t end = text->find(" kB", digits);
    std::uint64_t kib = 0;
    auto [stop, ec] = digits == std::string::npos || end == std::string::npos
                          ? std::from_chars_result{nullptr, std::errc::invalid_argument}
                          : std::from_chars(text->data() + digits, text->data() + end, kib);
    if (ec != std::errc() || stop != text->data() + end) {
        *error = "/proc/meminfo: unreadable MemTotal";
        return std::nullopt;
    }
    return kib;
}

// What a step added: what the kernel reported, or for a step cut short, whatever the pool grew
// by up to what was asked.
std::uint64_t pages_added(const Step& step, std::uint64_t now) {
    std::uint64_t asked = step.target_pages - step.old_pages;
    std::uint64_t seen = step.state == StepState::Done ? step.got_pages : now;
    return seen > step.old_pages ? std::min(seen - step.old_pages, asked) : 0;
}

}  // namespace

std::string hugepage_pool_dir(std::uint64_t page_kib) {
    return "/sys/kernel/mm/hugepages/hugepages-" + std::to_string(page_kib) + "kB";
}

Status check_fits_in_memory(const HugepageRequest& request, const Log& log) {
    std::string error;
    auto total = mem_total_kib(&error);
    if (!total) {
        log.warning("cannot tell the host's memory size (", error, "); going by what the kernel allocates");
        return Status::ok();
    }
    if (request.page_kib != 0 && request.pages <= *total / request.page_kib) return Status::ok();
    return Status::failure("the guest asks for " + std::to_string(request.pages) + " hugepages of " +
                           std::to_string(request.page_kib) + " kB (" +
                           std::to_string(request.pages * request.page_kib / 1024) +
                           " MiB), more than all of the host's memory (MemTotal " + std::to_string(*total / 1024) +
                           " MiB): refused before touching anything; give the guest less memory");
}

Status reserve_hugepages(const HugepageRequest& request, Journal& journal, const Log& log) {
    std::string pool = hugepage_pool_dir(request.page_kib);
    std::string nr_path = pool + "/nr_hugepages";
    std::string error;
    auto old = sysfs::read_number(nr_path, &error);
    if (!old)
        return Status::failure("the guest asks for hugepages of " + std::to_string(request.page_kib) +
                               " kB, which this kernel does not offer (" + error + ")");
    std::uint64_t unclaimed = unclaimed_pages(pool, log);
    if (unclaimed >= request.pages) {
        log.info("hugepages: ", unclaimed, " free pages of ", request.page_kib, " kB cover the ", request.pages,
                 " the guest needs; nothing to allocate");
        return Status::ok();
    }
    compact_memory(log);
    Step draft;
    draft.kind = StepKind::Hugepages;
    draft.page_kib = request.page_kib;
    draft.old_pages = *old;
    draft.target_pages = *old + (request.pages - unclaimed);
    log.info("hugepages: the guest needs ", request.pages, " pages of ", request.page_kib, " kB, ", unclaimed,
             " are free; allocating ", draft.target_pages - *old);
    return raise_pool(nr_path, draft, request, journal, log);
}

Status undo_hugepages(Step& step, Journal& journal, const Log& log) {
    std::string nr_path = hugepage_pool_dir(step.page_kib) + "/nr_hugepages";
    std::string error;
    auto now = sysfs::read_number(nr_path, &error);
    if (!now) return Status::failure("cannot give hugepages back: " + error);
    if (step.state == StepState::Undoing && *now != step.undo_from) {
        log.info("hugepages: an earlier release already gave them back (", nr_path, " reads ", *now, ")");
        return journal.undone(step);
    }
    if (step.state != StepState::Undoing) {
        std::uint64_t added = pages_added(step, *now);
        step.undo_from = *now;
        step.undo_to = *now > added ? *now - added : 0;
        Status recorded = journal.undoing(step);
        if (!recorded) return recorded;
        if (added == 0) {
            log.info("hugepages: nothing to give back (", nr_path, " reads ", *now, ")");
            return journal.undone(step);
        }
    }
    Status written = sysfs::write(nr_path, std::to_string(step.undo_to));
    if (!written) return written;
    log.info("hugepages: ", nr_path, " lowered from ", step.undo_from, " to ", step.undo_to);
    return journal.undone(step);
}

}  // namespace hotseat::hook
