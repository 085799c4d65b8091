#include "sysfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "util/fd.h"

namespace hotseat::hook::sysfs {
namespace {

// Attributes are at most a page; anything longer is not an attribute we know.
constexpr std::size_t kMaxAttributeBytes = 64 * 1024;

std::string trim_right(std::string text) {
    while (!text.empty() && std::strchr(" \t\r\n", text.back())) text.pop_back();
    return text;
}

std::string errno_text() { return std::strerror(errno); }

bool read_all(int fd, std::string& out) {
    char buffer[4096];
    while (out.size() <= kMaxAttributeBytes) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) return true;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    errno = EFBIG;
    return false;
}

bool is_link(const std::string& directory, const dirent& entry) {
    if (entry.d_type != DT_UNKNOWN) return entry.d_type == DT_LNK;
    struct stat st {};
    return ::lstat((directory + "/" + entry.d_name).c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

std::optional<std::string> read(const std::string& path, std::string* error) {
    util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        *error = "cannot open " + path + ": " + errno_text();
        return std::nullopt;
    }
    std::string text;
    if (!read_all(fd.get(), text)) {
        *error = "cannot read " + path + ": " + errno_text();
        return std::nullopt;
    }
    return trim_right(std::move(text));
}

std::optional<std::uint64_t> read_number(const std::string& path, std::string* error) {
    auto text = read(path, error);
    if (!text) return std::nullopt;
    std::uint64_t value = 0;
    const char* end = text->data() + text->size();
    auto [stop, ec] = std::from_chars(text->data(), end, value);
    if (text->empty() || ec != std::errc() || stop != end) {
        *error = path + " holds '" + *text + "', not a number";
        return std::nullopt;
    }
    return value;
}

Status write(const std::string& path, std::string_view value) {
    // O_TRUNC as a shell's `>` does: sysfs ignores it, a plain file (the test bed) needs it.
    util::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd) return Status::failure("cannot open " + path + " for writing: " + errno_text());
    ssize_t n;
    do n = ::write(fd.get(), value.data(), value.size());
    while (n < 0 && errno == EINTR);
    if (n < 0) return Status::failure("writing '" + std::string(value) + "' to " + path + " failed: " + errno_text());
    if (static_cast<std::size_t>(n) != value.size()) return Status::failure("short write to " + path);
    return Status::ok();
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

std::string link_name(const std::string& path) {
    char target[4096];
    ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
    if (n <= 0) return {};
    std::string text(target, static_cast<std::size_t>(n));
    auto slash = text.rfind('/');
    return slash == std::string::npos ? text : text.substr(slash + 1);
}

std::vector<Entry> list(const std::string& directory) {
    std::vector<Entry> entries;
    util::Dir dir(::opendir(directory.c_str()));
    if (!dir) return entries;
    while (const dirent* entry = ::readdir(dir.get())) {
        std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        entries.push_back({name, is_link(directory, *entry)});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return entries;
}

}  // namespace hotseat::hook::sysfs
