#include "config/trusted_path.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <vector>

namespace hotseat::config {
namespace {

// As the kernel's own limit on symlinks followed in one lookup (and systemd's chase()).
constexpr int kMaxSymlinks = 40;

using util::UniqueFd;

std::string mode_octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string errno_text(int error) { return std::strerror(error); }

// "/", "/etc", "/etc/hotseat": what the walk has reached, for messages.
std::string join(const std::string& parent, const std::string& name) {
    if (parent == "/") return "/" + name;
    return parent + "/" + name;
}

std::string parent_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) return "/";
    return path.substr(0, slash);
}

void split_into(const std::string& path, std::deque<std::string>& out, bool at_front) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at <= path.size()) {
        std::size_t end = path.find('/', at);
        if (end == std::string::npos) end = path.size();
        if (end > at) parts.push_back(path.substr(at, end - at));
        at = end + 1;
    }
    if (at_front)
        out.insert(out.begin(), parts.begin(), parts.end());
    else
        out.insert(out.end(), parts.begin(), parts.end());
}

std::string untrusted_owner(const std::string& what, const struct stat& st) {
    return what + " is owned by uid " + std::to_string(st.st_uid) +
           ", not root: refusing a config that anyone but root can change";
}

// Empty when `st` (a directory the walk goes through) cannot be changed by anyone we do not trust.
std::string directory_refusal(const std::string& where, const struct stat& st, PathOwners owners) {
    if (owners == PathOwners::Root && st.st_uid != 0) return untrusted_owner("the directory " + where, st);
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        return "the directory " + where + " is writable by " +
               std::string(st.st_mode & S_IWOTH ? "everyone" : "its group") + " (mode " + mode_octal(st.st_mode) +
               "): refusing a config that anyone but root can change (chmod go-w " + where + ")";
    return {};
}

TrustedOpen failure(std::string error) { return TrustedOpen{{}, std::move(error)}; }

}  // namespace

TrustedOpen open_trusted(const std::string& path, PathOwners owners) {
    if (path.empty()) return failure("cannot open: " + errno_text(ENOENT));
    std::string absolute = path;
    if (path[0] != '/') {
        char cwd[PATH_MAX];
        if (!::getcwd(cwd, sizeof cwd)) return failure("cannot find the current directory: " + errno_text(errno));
        absolute = std::string(cwd) + "/" + path;
    }

    std::deque<std::string> todo;
    split_into(absolute, todo, false);
    std::string where = "/";
    UniqueFd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir) return failure("cannot open /: " + errno_text(errno));
    struct stat st {};
    if (::fstat(dir.get(), &st) != 0) return failure("cannot stat /: " + errno_text(errno));
    if (auto why = directory_refusal(where, st, owners); !why.empty()) return failure(why);

    int symlinks = 0;
    while (!todo.empty()) {
        std::string name = std::move(todo.front());
        todo.pop_front();
        if (name == ".") continue;
        const bool last = todo.empty();
        if (name == "..") {
            // The directory walked through to get here, already checked; "/.." is "/".
            UniqueFd up(::openat(dir.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!up) return failure("cannot open " + where + "/..: " + errno_text(errno));
            dir = std::move(up);
            where = parent_of(where);
            if (last) return failure("is a directory, not a regular file");
            continue;
        }
        const std::string here = join(where, name);
        UniqueFd fd(::openat(dir.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        // As open(2) says it, whichever component is missing.
        if (!fd) return failure("cannot open: " + errno_text(errno));
        if (::fstat(fd.get(), &st) != 0) return failure("cannot stat " + here + ": " + errno_text(errno));

        if (S_ISLNK(st.st_mode)) {
            if (owners == PathOwners::Root && st.st_uid != 0)
                return failure(untrusted_owner("the symlink " + here, st));
            if (++symlinks > kMaxSymlinks) return failure("cannot open: " + errno_text(ELOOP));
            char target[PATH_MAX];
            ssize_t n = ::readlinkat(fd.get(), "", target, sizeof target - 1);
            if (n < 0) return failure("cannot read the symlink " + here + ": " + errno_text(errno));
            if (n == 0) return failure("cannot open: the symlink " + here + " is empty");
            std::string to(target, static_cast<std::size_t>(n));
            split_into(to, todo, true);
            if (to[0] == '/') {
                UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
                if (!root) return failure("cannot open /: " + errno_text(errno));
                dir = std::move(root);
                where = "/";
            }
            continue;
        }

        if (last) {
            // What is read is what was checked: reopen relative to the same directory, without
            // following anything, and compare. O_NONBLOCK: a FIFO must not hang the reader (the
            // caller refuses anything but a regular file).
            UniqueFd file(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
            if (!file) return failure("cannot open: " + errno_text(errno));
            struct stat opened {};
            if (::fstat(file.get(), &opened) != 0) return failure("cannot stat: " + errno_text(errno));
            if (opened.st_dev != st.st_dev || opened.st_ino != st.st_ino)
                return failure("cannot open: " + here + " changed while it was being opened");
            return TrustedOpen{std::move(file), {}};
        }
        if (!S_ISDIR(st.st_mode)) return failure("cannot open: " + errno_text(ENOTDIR));
        if (auto why = directory_refusal(here, st, owners); !why.empty()) return failure(why);
        dir = std::move(fd);
        where = here;
    }
    // The path named a directory ("/", "/etc/").
    return failure("is a directory, not a regular file");
}

}  // namespace hotseat::config
