// Child processes for tests, benchmarks and the demo harness: spawn with extra environment,
// output captured to a file (printed when a test fails), stopped and reaped on destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace hotseat::test {

class Process {
public:
    struct Options {
        std::vector<std::string> argv;
        std::map<std::string, std::string> env;  // added to (or replacing) the parent's environment
        std::string output_file;                 // stdout+stderr go here; empty: inherit
    };

    explicit Process(Options options);  // throws std::runtime_error when fork/exec fails
    ~Process();                         // SIGTERM, then SIGKILL after 5 s; always reaps
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    bool running();                          // false once it has exited (reaps it)
    int wait(std::chrono::milliseconds timeout);  // exit status (or 128+signal); -1 on timeout
    int stop(int signal = 15, std::chrono::milliseconds grace = std::chrono::seconds(5));
    std::string output() const;              // what it has written so far

private:
    Options options_;
    pid_t pid_ = -1;
    int status_ = -1;
};

// Polls `condition` every few milliseconds until it holds or the deadline passes. This is how a
// test waits for something to happen: never a bare sleep. The default deadline only stops a hang
// (no test asserts how fast something happens with it): generous, even on a loaded machine.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Runs a command to completion and returns its stdout (stderr inherited); exit code in *status.
std::string run_capture(const std::vector<std::string>& argv, int* status = nullptr,
                        const std::map<std::string, std::string>& env = {});

// A fresh temporary directory, removed recursively on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
private:
    std::string path_;
};

void write_file(const std::string& path, const std::string& content, unsigned mode = 0644);
std::string read_file(const std::string& path);

}  // namespace hotseat::test
