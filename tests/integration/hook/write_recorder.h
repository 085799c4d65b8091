// Which sysfs attributes a child process wrote, in order: inotify IN_CLOSE_WRITE on the test
// bed's files (a sysfs write is a plain file write there). inotify merges two identical events
// in a row while they are unread, so two consecutive writes to one file may show up once:
// tests assert the order of writes to different files and check values in the files.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hotseat::test {

class WriteRecorder {
public:
    // `root` is the test bed's root; `sys_paths` are /sys paths of existing files.
    WriteRecorder(std::string root, const std::vector<std::string>& sys_paths);
    ~WriteRecorder();
    WriteRecorder(const WriteRecorder&) = delete;
    WriteRecorder& operator=(const WriteRecorder&) = delete;

    // The /sys paths closed after writing since the last call, oldest first.
    std::vector<std::string> take();

private:
    std::string root_;
    int fd_ = -1;
    std::map<int, std::string> paths_;  // watch descriptor → /sys path
};

}  // namespace hotseat::test
