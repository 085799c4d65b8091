// Runs a command to completion with its stdout and stderr kept apart (a test checks the message
// on stderr and parses stdout), killing it when it overruns.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hotseat::test {

struct CommandResult {
    int status = -1;  // exit status, 128+signal, or -1 when it had to be killed
    std::string out;
    std::string err;
    std::string both() const { return "[stdout]\n" + out + "[stderr]\n" + err; }
};

// `env` is added to (or replaces parts of) this process's environment.
CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace hotseat::test
