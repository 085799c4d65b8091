#include "config/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "config/limits.h"
#include "config/trusted_path.h"

namespace hotseat::config {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

std::string mode_octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "not a regular file";
}

// Empty when the file may be trusted; otherwise why not. Checked on the open descriptor so that
// what is checked is what is read.
std::string refusal(const struct stat& st, bool require_root_owner) {
    if (!S_ISREG(st.st_mode)) return "is " + file_kind(st.st_mode) + ", not a regular file";
    if (require_root_owner && st.st_uid != 0)
        return "is owned by uid " + std::to_string(st.st_uid) +
               ", not root: refusing a config that anyone but root can change";
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return "is writable by " + std::string(st.st_mode & S_IWOTH ? "everyone" : "its group") + " (mode " +
               mode_octal(st.st_mode) + "): refusing a config that anyone but root can change (chmod go-w)";
    return {};
}

FileRead failure(std::string error) { return FileRead{std::nullopt, std::move(error)}; }

}  // namespace

FileRead read_root_owned_file(const std::string& path) { return read_config_file(path, true); }

FileRead read_config_file(const std::string& path, bool require_root_owner) {
    // Every directory and symlink on the way is checked too (trusted_path.h); a FIFO opens
    // without blocking and is refused below.
    auto opened = open_trusted(path, require_root_owner ? PathOwners::Root : PathOwners::Any);
    if (!opened.fd) return failure(opened.error);
    const util::UniqueFd& fd = opened.fd;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return failure("cannot stat: " + errno_text(errno));
    if (auto why = refusal(st, require_root_owner); !why.empty()) return failure(why);

    std::string text;
    char buffer[65536];
    while (text.size() <= kMaxFileBytes) {
        ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failure("cannot read: " + errno_text(errno));
        if (n == 0) return FileRead{std::move(text), {}};
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return failure(std::string("is larger than ") + kMaxFileBytesText + ", the limit for a config file");
}

}  // namespace hotseat::config
