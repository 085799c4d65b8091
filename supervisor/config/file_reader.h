// Reads the config file the way a root daemon must: only a regular file that nobody but root
// can change, reached through directories and symlinks nobody but root can change
// (trusted_path.h), and never more than the size limit.
#pragma once

#include <optional>
#include <string>

namespace hotseat::config {

struct FileRead {
    std::optional<std::string> text;  // set on success
    std::string error;                // why not, e.g. "cannot open: No such file or directory"
};

FileRead read_root_owned_file(const std::string& path);

// read_root_owned_file when `require_root_owner`; otherwise the same checks (regular file, not
// writable by group or others, size limit, no directory on the way writable by group or others)
// except who owns what.
FileRead read_config_file(const std::string& path, bool require_root_owner);

}  // namespace hotseat::config
