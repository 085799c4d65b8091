// Kernel attributes under /sys, read and written the way the kernel expects: one write(2) per
// value, the whole file read at once. Paths are the real /sys paths; under umockdev's preload
// library they resolve into a test bed, so everything here goes through plain glibc calls (no
// raw syscalls, no glob(3): glibc's own directory reads would bypass the redirection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace hotseat::hook::sysfs {

// The attribute's text without trailing whitespace; nullopt (and why in *error) when unreadable.
std::optional<std::string> read(const std::string& path, std::string* error);

// A decimal number such as nr_hugepages.
std::optional<std::uint64_t> read_number(const std::string& path, std::string* error);

// Writes `value` in a single write(2); the kernel's answer (EBUSY, EINVAL ...) is the error.
Status write(const std::string& path, std::string_view value);

bool exists(const std::string& path);

// The last component of a symlink's target (a device's `driver` link: "i915"); empty when
// `path` is no symlink or does not exist.
std::string link_name(const std::string& path);

struct Entry {
    std::string name;
    bool is_link = false;
};

// The entries of a directory (without . and ..), sorted by name; empty when it is missing.
std::vector<Entry> list(const std::string& directory);

}  // namespace hotseat::hook::sysfs
