// Hugepages for a guest (docs/design.md "Hardware facts" 6): compact memory, raise nr_hugepages by what is
// missing, believe only what the kernel reports back, and give back exactly what was added.
#pragma once

#include <cstdint>
#include <string>

#include "domain_xml.h"
#include "hook_log.h"
#include "journal.h"
#include "status.h"

namespace hotseat::hook {

// /sys/kernel/mm/hugepages/hugepages-<size>kB
std::string hugepage_pool_dir(std::uint64_t page_kib);

// Refuses, before anything is written, a request for more than all of the host's memory
// (MemTotal in /proc/meminfo): raising the pool that far would have the kernel take every page
// it can free for it, starving the host, before the shortfall shows. An unreadable
// /proc/meminfo is only a warning (the shortfall check still applies).
Status check_fits_in_memory(const HugepageRequest& request, const Log& log);

// Makes request.pages pages available: pages already free (reserved at boot, say) count, only
// the rest is allocated and recorded in the journal. Fails, saying how many pages are missing
// and what to do, when the kernel gives fewer; the raised count then stays recorded as done,
// so rolling the journal back returns the pages that were got.
Status reserve_hugepages(const HugepageRequest& request, Journal& journal, const Log& log);

// Takes back what the step added (never going below zero), whether the step finished or not.
Status undo_hugepages(Step& step, Journal& journal, const Log& log);

}  // namespace hotseat::hook
