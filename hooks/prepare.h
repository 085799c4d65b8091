// `prepare begin`: get the host ready for the guest before QEMU starts.
#pragma once

#include <string>
#include <vector>

#include "domain_xml.h"
#include "hook_log.h"
#include "runtime_dir.h"

namespace hotseat::hook {

struct PrepareRequest {
    DomainNeeds needs;                     // from the domain XML
    std::vector<std::string> config_gpus;  // the [[vm]] gpu list: taken even when not in the XML
    std::string undo_log;                  // the undo log's name in the runtime directory
};

// 0 when the guest may start, 1 (after undoing whatever this prepare did) when it may not.
// A finished prepare's log is verified and kept, so a second prepare adds nothing; the remains
// of one that did not finish are rolled back first.
// A hugepage request larger than the host's memory is refused before anything is written.
int prepare(const PrepareRequest& request, const RuntimeDir& dir, const Log& log);

}  // namespace hotseat::hook
