// Opens a file only if nobody but root could have changed what the path leads to: the file
// itself, every directory on the way to it and every symlink followed (docs/robustness.md,
// "Threat model"). A root-owned 0600 file is worth nothing in a directory someone else may
// write: they replace the file, or a symlink, between two reloads.
//
// The path is walked the way systemd's chase() walks one with CHASE_SAFE: from "/", one
// component at a time, each opened with O_NOFOLLOW relative to the directory before it and
// checked on its descriptor (what was checked is what is used); a symlink is read, checked like
// any other component and its target walked the same way (an absolute target from "/" again).
// A relative path is taken from the current directory, whose ancestors are checked too.
#pragma once

#include <string>

#include "util/fd.h"

namespace hotseat::config {

// Who may own what is on the path.
enum class PathOwners {
    Root,  // every component owned by root (the daemon, hotseatctl, the hook)
    Any,   // owners not checked (`--no-owner-check`, a Nix build sandbox); writability still is
};

struct TrustedOpen {
    util::UniqueFd fd;  // open O_RDONLY | O_NONBLOCK | O_CLOEXEC on success
    std::string error;  // why not, e.g. "cannot open: No such file or directory"
};

// A directory on the way may be writable by its group or by others only with the sticky bit
// (/tmp, and /nix/store which is root:nixbld 1775): there nobody may rename or remove an entry
// they do not own, and the entries walked through must be root's anyway. The last component
// is opened whatever it is (the caller checks that it is a regular file, and its mode).
TrustedOpen open_trusted(const std::string& path, PathOwners owners);

}  // namespace hotseat::config
