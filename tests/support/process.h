// The one way tests, benchmarks and the demo harness run child processes: spawn with extra
// environment, output captured to files (printed when a test fails), stopped and reaped on
// destruction; or run to completion with stdout and stderr captured. Deadlines here only stop a
// hang: no test asserts how fast a child is with them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "temp_files.h"

namespace hotseat::test {

class Process {
public:
    struct Options {
        std::vector<std::string> argv;
        std::map<std::string, std::string> env;  // added to (or replacing) the parent's environment
        std::string output_file;                 // stdout (and stderr) go here; empty: inherit
        std::string error_file = {};             // stderr goes here; empty: with stdout
        bool input_pipe = false;                 // stdin a pipe written through input(); else /dev/null
    };

    explicit Process(Options options);  // throws std::runtime_error when fork/exec fails
    ~Process();                         // SIGTERM, then SIGKILL after 5 s; always reaps
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    bool running();                               // false once it has exited (reaps it)
    int wait(std::chrono::milliseconds timeout);  // exit status (or 128+signal); -1 on timeout
    int stop(int signal = 15, std::chrono::milliseconds grace = std::chrono::seconds(5));
    std::string output() const;           // what it has written so far
    int input() const { return input_; }  // the write end of its stdin (input_pipe), or -1
    void close_input();                   // its stdin reaches end of file

private:
    Options options_;
    pid_t pid_ = -1;
    int status_ = -1;
    int input_ = -1;
};

// Polls `condition` every few milliseconds until it holds or the deadline passes. This is how a
// test waits for something to happen: never a bare sleep. The default deadline only stops a hang
// (no test asserts how fast something happens with it): generous, even on a loaded machine.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout = std::chrono::seconds(30));

// What a command run to completion left: stdout and stderr kept apart (a test checks the
// message on stderr and parses stdout).
struct CommandResult {
    int status = -1;  // exit status, 128+signal, or -1 when it overran its deadline and was killed
    std::string out;
    std::string err;
    std::string both() const { return "[stdout]\n" + out + "[stderr]\n" + err; }
};

// Runs a command to completion; `env` is added to (or replaces parts of) this process's
// environment. A command still running at `deadline` (a hang) is killed.
CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                          std::chrono::milliseconds deadline = std::chrono::seconds(30));

// run_command for callers that want stdout alone: stderr is passed on to this process's stderr,
// the exit code goes to *status. Its deadline is longer (nix-instantiate and doctor runs).
std::string run_capture(const std::vector<std::string>& argv, int* status = nullptr,
                        const std::map<std::string, std::string>& env = {});

}  // namespace hotseat::test
