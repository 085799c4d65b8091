#include "release.h"

#include "journal.h"
#include "rollback.h"

namespace hotseat::hook {

int release(const RuntimeDir& dir, const std::string& undo_log, const Log& log) {
    Journal journal(dir, undo_log);
    Status loaded = journal.load();
    if (!loaded) {
        log.error(loaded.error(), ": left in place, nothing undone; check the host and remove it");
        return 1;
    }
    if (journal.contents().empty())
        log.info("the undo log ", journal.path(), " holds nothing to undo");
    else
        log.info("undoing ", journal.contents().steps.size(), " change(s) recorded in ", journal.path());
    Rollback result = roll_back(journal, log);
    if (result == Rollback::JournalFailed) return 1;
    Status removed = journal.remove();
    if (!removed) log.error(removed.error());
    if (result == Rollback::Clean && removed) log.info("host restored; undo log removed");
    return result == Rollback::Clean && removed ? 0 : 1;
}

int reconnect(const RuntimeDir& dir, const std::string& undo_log, const Log& log) {
    Journal journal(dir, undo_log);
    Status loaded = journal.load();
    if (!loaded)
        log.error(loaded.error(), "; release will refuse it");
    else
        log.info("still running; keeping the undo log ", journal.path(), " (", journal.contents().steps.size(),
                 " change(s)", journal.contents().ready ? "" : ", prepare unfinished", ")");
    return 0;
}

}  // namespace hotseat::hook
