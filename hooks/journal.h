// The undo log of one domain on disk, kept in step with the host: each record is written and
// flushed before the change it announces and after the change is made, so that whatever
// kills the hook in between, the file says what may need undoing. See undo_log.h.
#pragma once

#include <string>

#include "runtime_dir.h"
#include "status.h"
#include "undo_log.h"
#include "util/fd.h"

namespace hotseat::hook {

class Journal {
public:
    // <dir>/<name>, opened only through `dir` (never through a symlink). Touches nothing yet.
    Journal(const RuntimeDir& dir, std::string name) : dir_(dir), name_(std::move(name)), path_(dir.path_of(name_)) {}
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    const std::string& path() const { return path_; }
    const UndoLog& contents() const { return log_; }
    UndoLog& contents() { return log_; }

    // Reads the log an earlier run left (none is fine). Fails on a log it cannot parse.
    Status load();

    // Adds a step and records it; the change may be made only when this returns non-null.
    // The file is created with the first step.
    Step* begin(Step draft, Status* status);
    Status done(Step& step);     // after the change; hugepages: with step.got_pages set
    Status undoing(Step& step);  // before putting it back (hugepages: undo_from/undo_to set); once
    Status undone(Step& step);
    Status ready();
    Status remove();  // the whole log, once everything in it is undone

private:
    Status open_for_append();
    Status append(const std::string& record);

    const RuntimeDir& dir_;
    std::string name_;
    std::string path_;  // for messages
    UndoLog log_;
    util::UniqueFd fd_;  // open for appending from the first record on
};

// The undo log's name in the runtime directory: <domain>.undo
std::string undo_log_name(const std::string& domain);

}  // namespace hotseat::hook
