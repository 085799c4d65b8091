// hotseat-emu: emulated hardware for the demo and the benchmarks. Builds a umockdev testbed with
// the reference machine's iGPU (card0, connector HDMI-A-1), prints `UMOCKDEV_DIR=<root>` and then
// plays the kernel on command, one command per line on stdin, one answer per line (`ok` or
// `error: ...`):
//   plug CONNECTOR | unplug CONNECTOR            monitor plugged/unplugged (HOTPLUG change)
//   connector-add CONNECTOR | connector-remove CONNECTOR   connector appears / goes (i915 bind/unbind)
//   usb-add VENDOR PRODUCT [SERIAL] | usb-remove VENDOR PRODUCT [SERIAL]
//   quit
// Start the daemon under test with UMOCKDEV_DIR=<root> LD_PRELOAD=libumockdev-preload.so.0.
// On EOF, `quit`, SIGTERM or SIGINT the testbed is removed.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "testbed.h"

namespace {

constexpr const char* kPreload = "libumockdev-preload.so.0";

// umockdev redirects /sys only inside processes that preload it, the emitter included: restart
// this program with the preload library when it is missing, so `hotseat-emu` just works.
void ensure_preloaded(char** argv) {
    const char* preload = std::getenv("LD_PRELOAD");
    std::string current = preload ? preload : "";
    if (current.find("libumockdev-preload") != std::string::npos) return;
    if (std::getenv("HOTSEAT_EMU_REEXEC")) {
        std::fprintf(stderr, "hotseat-emu: %s did not stay preloaded\n", kPreload);
        std::exit(1);
    }
    // Appended, so a sanitizer runtime preloaded by the caller stays first.
    std::string wanted = current.empty() ? kPreload : current + ":" + kPreload;
    const char* asan = std::getenv("ASAN_OPTIONS");
    std::string asan_options = asan && *asan ? std::string(asan) + ":" : "";
    asan_options += "verify_asan_link_order=0";
    ::setenv("LD_PRELOAD", wanted.c_str(), 1);
    ::setenv("ASAN_OPTIONS", asan_options.c_str(), 1);
    ::setenv("HOTSEAT_EMU_REEXEC", "1", 1);
    ::execv("/proc/self/exe", argv);
    std::fprintf(stderr, "hotseat-emu: cannot re-execute itself: %s\n", std::strerror(errno));
    std::exit(1);
}

void on_stop_signal(int) {}

// Without SA_RESTART the blocking read on stdin fails with EINTR, the command loop ends and the
// testbed's destructor removes its directory.
void stop_on_signals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
}

std::vector<std::string> split(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

void expect_args(const std::vector<std::string>& words, std::size_t min, std::size_t max) {
    std::size_t n = words.size() - 1;
    if (n < min || n > max) throw std::invalid_argument("wrong number of arguments for " + words[0]);
}

void run(hotseat::test::Testbed& bed, const std::vector<std::string>& words) {
    const std::string& command = words[0];
    if (command == "plug" || command == "unplug" || command == "connector-add" || command == "connector-remove") {
        expect_args(words, 1, 1);
        if (command == "plug") bed.plug_monitor(words[1]);
        if (command == "unplug") bed.unplug_monitor(words[1]);
        if (command == "connector-add") bed.add_connector(words[1]);
        if (command == "connector-remove") bed.remove_connector(words[1]);
        return;
    }
    if (command == "usb-add" || command == "usb-remove") {
        expect_args(words, 2, 3);
        std::string serial = words.size() > 3 ? words[3] : "";
        if (command == "usb-add") bed.add_usb_device(words[1], words[2], serial);
        if (command == "usb-remove") bed.remove_usb_device(words[1], words[2], serial);
        return;
    }
    throw std::invalid_argument("unknown command '" + command + "'");
}

void answer(const std::string& text) { std::cout << text << std::endl; }

int serve(hotseat::test::Testbed& bed) {
    for (std::string line; std::getline(std::cin, line);) {
        auto words = split(line);
        if (words.empty()) {
            answer("error: empty command");
            continue;
        }
        if (words[0] == "quit") {
            answer("ok");
            return 0;
        }
        try {
            run(bed, words);
            answer("ok");
        } catch (const std::exception& e) {
            answer(std::string("error: ") + e.what());
        }
    }
    return 0;
}

}  // namespace

int main(int, char** argv) {
    ensure_preloaded(argv);
    stop_on_signals();
    try {
        hotseat::test::Testbed bed;
        bed.add_intel_igpu();
        std::cout << "UMOCKDEV_DIR=" << bed.root() << std::endl;
        return serve(bed);
    } catch (const std::exception& e) {
        std::cerr << "hotseat-emu: " << e.what() << "\n";
        return 1;
    }
}
