// The hook's runtime directory ($HOTSEAT_RUNTIME_DIR, default /run/hotseat): the lock, the undo
// logs and the release records live there, and the hook runs as root. Whoever else could write
// in it could plant a symlink (root would then create or overwrite a file anywhere) or forge an
// undo log (root would then write what it says into sysfs). So the directory is trusted only when
// it is root's alone, and every file in it is opened relative to the directory, never through a
// symlink (docs/robustness.md, "Threat model").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "status.h"
#include "util/fd.h"

namespace hotseat::hook {

class RuntimeDir {
public:
    enum class IfMissing { Create, Skip };

    // Opens the directory without following a symlink as its last component and checks it: a
    // directory, owned by root (or by the user the hook runs as, which is root under libvirtd),
    // writable by its owner only (0755 or stricter). A missing one is created 0755 (Create) or
    // reported as nullopt with *error left empty (Skip). Anything else: nullopt and *error.
    static std::optional<RuntimeDir> open(const std::string& path, IfMissing missing, std::string* error);

    RuntimeDir(RuntimeDir&& other) noexcept = default;
    RuntimeDir(const RuntimeDir&) = delete;
    RuntimeDir& operator=(const RuntimeDir&) = delete;
    RuntimeDir& operator=(RuntimeDir&&) = delete;

    const std::string& path() const { return path_; }
    std::string path_of(std::string_view name) const { return path_ + "/" + std::string(name); }

    // Opens the file `name` (one path component) in the directory with open(2) `flags` (O_CREAT
    // creates it 0600), never following a symlink, and only if it is a regular file with a
    // single name (no hard link planted to a file elsewhere). No fd and *error otherwise; errno
    // stays ENOENT for a file that does not exist.
    util::UniqueFd open_file(std::string_view name, int flags, std::string* error) const;
    bool contains(std::string_view name) const;  // an entry of that name exists (any type)
    Status remove(std::string_view name) const;  // no such file is fine
    // Replaces `name` with `text` as one step (a new file renamed over the old), readable by all.
    Status replace(std::string_view name, std::string_view text) const;
    void sync() const;  // makes new and removed names durable

private:
    RuntimeDir(std::string path, util::UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

    std::string path_;
    util::UniqueFd fd_;
};

}  // namespace hotseat::hook
