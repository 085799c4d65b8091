#include "runtime_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hotseat::hook {
namespace {

std::string errno_text() { return std::strerror(errno); }

bool one_component(std::string_view name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
           name.find('\0') == std::string_view::npos;
}

// Why `st` is not a directory the hook may trust; empty when it is.
std::string untrusted(const struct stat& st) {
    if (!S_ISDIR(st.st_mode)) return "is not a directory";
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return "is owned by uid " + std::to_string(st.st_uid) + ", not root";
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return std::string("has mode ") + mode + ": others than its owner may write in it";
    }
    return {};
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

std::optional<RuntimeDir> RuntimeDir::open(const std::string& path, IfMissing missing, std::string* error) {
    error->clear();
    // O_NOFOLLOW: a symlink as the last component fails with ELOOP instead of being followed.
    constexpr int kFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    util::UniqueFd fd(::open(path.c_str(), kFlags));
    if (!fd && errno == ENOENT && missing == IfMissing::Create) {
        if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
            *error = "cannot create the runtime directory " + path + ": " + errno_text();
            return std::nullopt;
        }
        fd.reset(::open(path.c_str(), kFlags));
    }
    if (!fd) {
        if (errno == ENOENT && missing == IfMissing::Skip) return std::nullopt;
        struct stat link {};
        // A symlink fails with ELOOP, or with ENOTDIR when O_DIRECTORY is looked at first.
        bool is_link = (errno == ELOOP || errno == ENOTDIR) && ::lstat(path.c_str(), &link) == 0 &&
                       S_ISLNK(link.st_mode);
        if (is_link)
            *error = "the runtime directory " + path + " is a symlink: refused";
        else if (errno == ENOTDIR)
            *error = "the runtime directory " + path + " is not a directory: refused";
        else
            *error = "cannot open the runtime directory " + path + ": " + errno_text();
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
        *error = "cannot inspect the runtime directory " + path + ": " + errno_text();
        return std::nullopt;
    }
    if (std::string why = untrusted(st); !why.empty()) {
        *error = "the runtime directory " + path + " " + why +
                 ": refused (it must be root's, 0755 or stricter; see docs/robustness.md)";
        return std::nullopt;
    }
    return RuntimeDir(path, std::move(fd));
}

util::UniqueFd RuntimeDir::open_file(std::string_view name, int flags, std::string* error) const {
    std::string file = path_of(name);
    if (!one_component(name)) {
        *error = "'" + std::string(name) + "' is not a file name";
        errno = EINVAL;
        return {};
    }
    // O_NONBLOCK: a FIFO in place of the file must not hang the hook (it is refused below).
    util::UniqueFd fd(
        ::openat(fd_.get(), std::string(name).c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
    if (!fd) {
        int saved = errno;
        *error = errno == ELOOP ? file + " is a symlink: refused" : "cannot open " + file + ": " + errno_text();
        errno = saved;
        return {};
    }
    struct stat st {};
    std::string why;
    if (::fstat(fd.get(), &st) != 0)
        why = "cannot inspect " + file + ": " + errno_text();
    else if (!S_ISREG(st.st_mode))
        why = file + " is not a regular file: refused";
    else if (st.st_nlink != 1)
        why = file + " has " + std::to_string(st.st_nlink) + " names (a hard link): refused";
    if (!why.empty()) {
        *error = why;
        errno = EINVAL;
        return {};  // closing `fd` keeps errno
    }
    int blocking = ::fcntl(fd.get(), F_GETFL);
    if (blocking >= 0) ::fcntl(fd.get(), F_SETFL, blocking & ~O_NONBLOCK);
    return fd;
}

bool RuntimeDir::contains(std::string_view name) const {
    struct stat st {};
    return one_component(name) && ::fstatat(fd_.get(), std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

Status RuntimeDir::remove(std::string_view name) const {
    if (!one_component(name)) return Status::failure("'" + std::string(name) + "' is not a file name");
    if (::unlinkat(fd_.get(), std::string(name).c_str(), 0) != 0 && errno != ENOENT)
        return Status::failure("cannot remove " + path_of(name) + ": " + errno_text());
    return Status::ok();
}

Status RuntimeDir::replace(std::string_view name, std::string_view text) const {
    if (!one_component(name)) return Status::failure("'" + std::string(name) + "' is not a file name");
    const std::string fresh = "." + std::string(name) + ".new";
    Status cleared = remove(fresh);  // left by a hook killed halfway
    if (!cleared) return cleared;
    std::string error;
    util::UniqueFd fd = open_file(fresh, O_WRONLY | O_CREAT | O_EXCL, &error);
    if (!fd) return Status::failure(error);
    // Readable by all: hotseatd, which runs as its own user, reads the release record.
    bool ok = ::fchmod(fd.get(), 0644) == 0 && write_all(fd.get(), text) && ::fsync(fd.get()) == 0;
    std::string failure = ok ? "" : "cannot write " + path_of(fresh) + ": " + errno_text();
    fd.reset();  // closed before the rename, as a finished file
    if (ok && ::renameat(fd_.get(), fresh.c_str(), fd_.get(), std::string(name).c_str()) != 0)
        failure = "cannot rename " + path_of(fresh) + " to " + std::string(name) + ": " + errno_text();
    if (!failure.empty()) {
        (void)remove(fresh);
        return Status::failure(failure);
    }
    sync();
    return Status::ok();
}

void RuntimeDir::sync() const { ::fsync(fd_.get()); }

}  // namespace hotseat::hook
