#include "journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hotseat::hook {
namespace {

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The file's text, or nullopt when it does not exist (errno ENOENT) or cannot be read.
std::optional<std::string> read_text(int fd) {
    std::string text;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

}  // namespace

Status Journal::load() {
    std::string error;
    util::UniqueFd fd = dir_.open_file(name_, O_RDONLY, &error);
    if (!fd && errno == ENOENT) return Status::ok();
    if (!fd) return Status::failure("the undo log: " + error);
    auto text = read_text(fd.get());
    std::string read_error = text ? "" : errno_text();
    fd.reset();
    if (!text) return Status::failure("cannot read the undo log " + path_ + ": " + read_error);
    auto log = parse_undo_log(*text, &error);
    if (!log) return Status::failure("the undo log " + path_ + " is damaged (" + error + ")");
    log_ = std::move(*log);
    return Status::ok();
}

Status Journal::open_for_append() {
    std::string error;
    fd_ = dir_.open_file(name_, O_RDWR | O_APPEND | O_CREAT, &error);
    if (!fd_) return Status::failure("the undo log: " + error);
    auto text = read_text(fd_.get());
    if (!text) return Status::failure("cannot read the undo log " + path_ + ": " + errno_text());
    // Drop a line cut by a crash so that the next record starts on a line of its own.
    std::size_t keep = text->rfind('\n');
    keep = keep == std::string::npos ? 0 : keep + 1;
    if (keep != text->size() && ::ftruncate(fd_.get(), static_cast<off_t>(keep)) != 0)
        return Status::failure("cannot repair the undo log " + path_ + ": " + errno_text());
    if (keep == 0 && !write_all(fd_.get(), std::string(kUndoLogHeader) + "\n"))
        return Status::failure("cannot write the undo log " + path_ + ": " + errno_text());
    if (::fdatasync(fd_.get()) != 0) return Status::failure("cannot flush the undo log " + path_ + ": " + errno_text());
    dir_.sync();
    return Status::ok();
}

Status Journal::append(const std::string& record) {
    if (!fd_) {
        Status opened = open_for_append();
        if (!opened) return opened;
    }
    // One write per record: a crash cuts at most the last line, which the reader drops.
    if (!write_all(fd_.get(), record + "\n") || ::fdatasync(fd_.get()) != 0)
        return Status::failure("cannot write the undo log " + path_ + ": " + errno_text());
    return Status::ok();
}

Step* Journal::begin(Step draft, Status* status) {
    int last = log_.steps.empty() ? 0 : log_.steps.back().id;
    draft.id = last + 1;
    draft.state = StepState::Pending;
    *status = append(do_record(draft));
    if (!*status) return nullptr;
    log_.steps.push_back(draft);
    return &log_.steps.back();
}

Status Journal::done(Step& step) {
    Status status = append(did_record(step));
    if (status) step.state = StepState::Done;
    return status;
}

Status Journal::undoing(Step& step) {
    if (step.state == StepState::Undoing) return Status::ok();  // resuming a release cut short
    Status status = append(undo_record(step));
    if (status) step.state = StepState::Undoing;
    return status;
}

Status Journal::undone(Step& step) {
    Status status = append(undid_record(step));
    if (status) step.state = StepState::Undone;
    return status;
}

Status Journal::ready() {
    Status status = append(std::string(kReadyRecord));
    if (status) log_.ready = true;
    return status;
}

Status Journal::remove() {
    fd_.reset();
    Status removed = dir_.remove(name_);
    if (!removed) return Status::failure("the undo log: " + removed.error());
    dir_.sync();
    log_ = UndoLog();
    return Status::ok();
}

std::string undo_log_name(const std::string& domain) { return domain + ".undo"; }

}  // namespace hotseat::hook
