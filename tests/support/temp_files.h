// Temporary directories and whole files for tests. A library of its own (hotseat_test_files)
// so that the unit tests use it without linking the process, bus and umockdev harness.
#pragma once

#include <string>

namespace hotseat::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Writes `content` to `path` and sets exactly `mode` (the umask does not get a say). Throws on error.
void write_file(const std::string& path, const std::string& content, unsigned mode = 0644);
// The whole file; "" when it cannot be read (a log not written yet).
std::string read_file(const std::string& path);

}  // namespace hotseat::test
