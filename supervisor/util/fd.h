// A file descriptor (and a directory stream) with one owner (handles.h's vocabulary, split out so the hook and the guest
// helper, which link none of the daemon's libraries, share it): closed once, by the owner's
// destructor or reset(), on every return path.
//
//   UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
//   if (!fd) return failure(errno);   nothing to close
//   ... read(fd.get(), ...)           closed when `fd` goes out of scope
//   return fd;                        or handed on, moved
#pragma once

#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "util/handle.h"

namespace hotseat::util {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    // Gives the descriptor up without closing it.
    int release() { return std::exchange(fd_, -1); }
    // Closes what it held (if anything) and takes `fd`. errno is kept: a failure path that set
    // it and then drops its descriptor still reports its own error, not close()'s.
    void reset(int fd = -1) {
        if (fd_ >= 0) {
            int saved = errno;
            ::close(fd_);
            errno = saved;
        }
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

// A directory stream (opendir(3)), closed with closedir.
using Dir = Handle<DIR, closedir>;

}  // namespace hotseat::util
