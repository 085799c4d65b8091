// Putting the host back as the undo log says: release, and a prepare that failed or finds the
// remains of an earlier one that did not finish.
#pragma once

#include "hook_log.h"
#include "journal.h"

namespace hotseat::hook {

enum class Rollback {
    Clean,         // every step undone
    StepsFailed,   // the kernel refused some undo (logged); the log is done with all the same
    JournalFailed  // the log could not be kept up to date (logged): keep it for the next try
};

// Undoes every step not yet undone, newest first. A step the kernel refuses to undo is logged
// and counted as over: retrying it at the next start would only block that start.
Rollback roll_back(Journal& journal, const Log& log);

}  // namespace hotseat::hook
