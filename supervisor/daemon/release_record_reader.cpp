#include "daemon/release_record_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "hotseat/release_record.h"
#include "log.h"
#include "util/handles.h"

namespace hotseat {

std::string runtime_dir_from_environment() {
    const char* dir = std::getenv("HOTSEAT_RUNTIME_DIR");
    return dir && *dir ? dir : "/run/hotseat";
}

std::optional<GpuRelease> read_release_record(const std::string& runtime_dir, const std::string& vm) {
    const std::string path = runtime_dir + "/" + release_record_name(vm);
    util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            log::debug(vm, ": no release record at ", path, " (is hotseat-hook installed?)");
        else
            log::warning(vm, ": cannot open the release record ", path, ": ", std::strerror(errno));
        return std::nullopt;
    }
    struct stat st {};
    std::string text;
    bool plain = ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode);
    if (plain) {
        char buffer[4096];
        for (;;) {
            ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            text.append(buffer, static_cast<std::size_t>(n));
            if (text.size() > kMaxReleaseRecordBytes) break;
        }
    }
    fd.reset();
    std::string error = plain ? "" : "not a regular file";
    auto record = plain ? parse_release_record(text, vm, &error) : std::nullopt;
    if (!record) log::warning(vm, ": ignoring the release record ", path, ": ", error);
    return record;
}

}  // namespace hotseat
