#include "prepare.h"

#include <algorithm>

#include "consoles.h"
#include "hugepages.h"
#include "rollback.h"
#include "sysfs.h"

namespace hotseat::hook {
namespace {

std::vector<std::string> all_devices(const PrepareRequest& request) {
    std::vector<std::string> devices = request.needs.pci_devices;
    for (const auto& gpu : request.config_gpus)
        if (std::find(devices.begin(), devices.end(), gpu) == devices.end()) devices.push_back(gpu);
    return devices;
}

// Says what an earlier, finished prepare left in force.
void verify(const Journal& journal, const Log& log) {
    log.info("already prepared: keeping the undo log ", journal.path(), " and adding nothing");
    for (const Step& step : journal.contents().steps) {
        std::string error;
        if (step.kind == StepKind::Hugepages) {
            auto now = sysfs::read_number(hugepage_pool_dir(step.page_kib) + "/nr_hugepages", &error);
            if (now && *now < step.got_pages) log.warning("hugepages: the pool shrank to ", *now, " since");
        } else if (step.kind == StepKind::Vtconsole) {
            auto bound = sysfs::read("/sys/class/vtconsole/" + step.name + "/bind", &error);
            if (bound && *bound != "0") log.warning(step.name, " is bound again since");
        }
    }
}

// Clears what an unfinished earlier prepare (or an interrupted release) left. False if it could
// not: then nothing may be added on top.
bool clear_remains(Journal& journal, const Log& log) {
    log.info("found the undo log ", journal.path(), " of a start that did not finish: undoing it first");
    if (roll_back(journal, log) == Rollback::JournalFailed) return false;
    Status removed = journal.remove();
    if (!removed) log.error(removed.error());
    return static_cast<bool>(removed);
}

Status make_changes(const PrepareRequest& request, const std::vector<std::string>& boot, Journal& journal,
                    const Log& log) {
    if (request.needs.hugepages) {
        Status status = reserve_hugepages(*request.needs.hugepages, journal, log);
        if (!status) return status;
    }
    if (!boot.empty()) {
        log.info("the guest takes the boot GPU ", boot.front(), ": releasing the host's console");
        Status status = detach_host_console(journal, log);
        if (!status) return status;
    }
    return journal.contents().steps.empty() ? Status::ok() : journal.ready();
}

int fail(Journal& journal, const Status& status, const Log& log) {
    log.error(status.error());
    if (journal.contents().steps.empty()) return 1;
    log.info("undoing what this start changed");
    if (roll_back(journal, log) != Rollback::JournalFailed) {
        Status removed = journal.remove();
        if (!removed) log.error(removed.error());
    }
    return 1;
}

void describe(const PrepareRequest& request, const Log& log) {
    for (const auto& note : request.needs.ignored) log.warning("left alone: ", note);
}

}  // namespace

int prepare(const PrepareRequest& request, const RuntimeDir& dir, const Log& log) {
    describe(request, log);
    if (request.needs.hugepages) {
        Status fits = check_fits_in_memory(*request.needs.hugepages, log);
        if (!fits) {
            log.error(fits.error());
            return 1;
        }
    }
    Journal journal(dir, request.undo_log);
    Status loaded = journal.load();
    if (!loaded) {
        log.error(loaded.error(), ": check the host and remove it to allow starts again");
        return 1;
    }
    if (journal.contents().ready && !journal.contents().undo_started()) {
        verify(journal, log);
        return 0;
    }
    if (!journal.contents().empty() && !clear_remains(journal, log)) return 1;
    std::vector<std::string> boot = boot_gpus(all_devices(request));
    if (!request.needs.hugepages && boot.empty()) {
        log.info("no hugepages asked for and no boot GPU taken: nothing to prepare");
        return 0;
    }
    Status status = make_changes(request, boot, journal, log);
    if (!status) return fail(journal, status, log);
    if (journal.contents().steps.empty())
        log.info("prepared; nothing needed changing");
    else
        log.info("prepared; the undo log is ", journal.path());
    return 0;
}

}  // namespace hotseat::hook
