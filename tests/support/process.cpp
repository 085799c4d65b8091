#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hotseat::test {
namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : extra) env[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// An output file for a child, or -1 for "inherit" when no file is named.
int open_output(const std::string& path) {
    if (path.empty()) return -1;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + path);
    return fd;
}

}  // namespace

Process::Process(Options options) : options_(std::move(options)) {
    if (options_.argv.empty()) throw std::runtime_error("Process: empty argv");
    auto env_strings = merged_environment(options_.env);
    auto argv = c_strings(options_.argv);
    auto envp = c_strings(env_strings);
    int out_fd = open_output(options_.output_file);
    int err_fd = options_.error_file.empty() ? out_fd : open_output(options_.error_file);
    int input[2] = {-1, -1};
    if (options_.input_pipe && ::pipe2(input, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    // Everything the child needs is opened here: between fork and exec it makes only raw system
    // calls. A test process runs under umockdev, whose preload wraps open() and friends behind a
    // lock its own threads take; held at the fork, it stays locked in the child for ever, and a
    // child that called open() there never ran its program (test_process.cpp shows it).
    int null_fd = options_.input_pipe ? -1 : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
        ::setpgid(0, 0);
        // A test binary that crashes must not leave daemons behind.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (out_fd >= 0) ::dup2(out_fd, 1);
        if (err_fd >= 0) ::dup2(err_fd, 2);
        int stdin_fd = options_.input_pipe ? input[0] : null_fd;
        if (stdin_fd >= 0) ::dup2(stdin_fd, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        // An ignored signal stays ignored across exec, and a test process ignores SIGPIPE (GLib's
        // sockets under umockdev's testbed, SessionLibvirtd): the child starts with the default, as
        // it would from a shell, so that a daemon that relies on inheriting SIG_IGN is caught.
        ::signal(SIGPIPE, SIG_DFL);
        ::execvpe(argv[0], argv.data(), envp.data());
        std::fprintf(stderr, "exec %s: %s\n", argv[0], std::strerror(errno));
        ::_exit(127);
    }
    if (null_fd >= 0) ::close(null_fd);
    if (out_fd >= 0) ::close(out_fd);
    if (err_fd >= 0 && err_fd != out_fd) ::close(err_fd);
    if (options_.input_pipe) {
        ::close(input[0]);
        input_ = input[1];
    }
}

Process::~Process() {
    close_input();
    stop();
}

void Process::close_input() {
    if (input_ >= 0) ::close(input_);
    input_ = -1;
}

bool Process::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        status_ = decode_status(status);
        pid_ = -1;
        return false;
    }
    return r == 0;
}

int Process::wait(std::chrono::milliseconds timeout) {
    // Woken by the child's exit itself (a pidfd turns readable), not by polling: a benchmark that
    // times a command run through here sees no polling delay.
    if (!running()) return status_;
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd < 0) {
        if (!wait_until([this] { return !running(); }, timeout)) return -1;
        return status_;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{pidfd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), INT32_MAX)));
    }
    ::close(pidfd);
    return running() ? -1 : status_;
}

int Process::stop(int signal, std::chrono::milliseconds grace) {
    if (!running()) return status_;
    ::kill(pid_, signal);
    if (wait(grace) >= 0) return status_;
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = decode_status(status);
    pid_ = -1;
    return status_;
}

std::string Process::output() const {
    if (options_.output_file.empty()) return {};
    return read_file(options_.output_file);
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::microseconds(200);
    while (true) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return condition();
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }
}

CommandResult run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          std::chrono::milliseconds deadline) {
    TempDir dir;
    Process::Options options{argv, env, dir.file("stdout"), dir.file("stderr")};
    CommandResult result;
    {
        Process child(options);
        result.status = child.wait(deadline);
        if (child.running()) {
            child.stop(SIGKILL, std::chrono::milliseconds(0));
            result.status = -1;
        }
    }
    result.out = read_file(options.output_file);
    result.err = read_file(options.error_file);
    return result;
}

std::string run_capture(const std::vector<std::string>& argv, int* status,
                        const std::map<std::string, std::string>& env) {
    CommandResult result = run_command(argv, env, std::chrono::minutes(5));
    std::fputs(result.err.c_str(), stderr);
    if (status) *status = result.status;
    return result.out;
}

}  // namespace hotseat::test
