#include "rollback.h"

#include "consoles.h"
#include "hugepages.h"

namespace hotseat::hook {
namespace {

Status undo_step(Step& step, Journal& journal, const Log& log) {
    switch (step.kind) {
        case StepKind::Hugepages: return undo_hugepages(step, journal, log);
        case StepKind::Vtconsole: return undo_vtconsole(step, journal, log);
        case StepKind::Framebuffer: return undo_framebuffer(step, journal, log);
    }
    return Status::failure("unknown step");
}

}  // namespace

Rollback roll_back(Journal& journal, const Log& log) {
    Rollback result = Rollback::Clean;
    auto& steps = journal.contents().steps;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        Step& step = *it;
        if (step.state == StepState::Undone) continue;
        Status status = undo_step(step, journal, log);
        if (status) continue;
        log.error(status.error());
        // Over all the same; a step whose undo never started is marked as started first.
        if (!journal.undoing(step) || !journal.undone(step)) {
            log.error("the undo log ", journal.path(), " could not be updated; it stays for the next release");
            return Rollback::JournalFailed;
        }
        result = Rollback::StepsFailed;
    }
    return result;
}

}  // namespace hotseat::hook
