// psi-wait FILE TRIGGER SECONDS: arms a PSI trigger ("some 150000 2000000") on FILE (a
// /proc/pressure file or a cgroup v2 *.pressure file), prints "armed", then waits up to SECONDS
// for the kernel to signal it (POLLPRI). Prints "fired after N ms" and exits 0, or "timeout" and
// exits 1; exits 2 when the trigger cannot be armed. The system test's guest runner uses it to
// show that the real system.slice pressure file carries a trigger (docs/testing.md).
#include <poll.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: psi-wait FILE TRIGGER SECONDS\n");
        return 2;
    }
    int fd = open(argv[1], O_RDWR | O_NONBLOCK | O_CLOEXEC);
    std::string trigger = argv[2];
    if (fd < 0 || write(fd, trigger.c_str(), trigger.size() + 1) < 0) {
        std::printf("cannot arm %s: %s\n", argv[1], std::strerror(errno));
        return 2;
    }
    std::printf("armed\n");
    std::fflush(stdout);
    auto start = std::chrono::steady_clock::now();
    auto limit = start + std::chrono::seconds(std::atoi(argv[3]));
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(limit - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLPRI, 0};
        int n = poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (p.revents & (POLLERR | POLLNVAL))) {
            std::printf("poll failed: %s\n", n < 0 ? std::strerror(errno) : "POLLERR");
            return 2;
        }
        if (n > 0 && (p.revents & POLLPRI)) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
            std::printf("fired after %lld ms\n", static_cast<long long>(ms.count()));
            return 0;
        }
    }
    std::printf("timeout\n");
    return 1;
}
