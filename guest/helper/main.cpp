// hotseat-guest: runs inside a hotseat VM and reports monitor hotplug and input activity to
// hotseatd over the virtio-serial port org.hotseat.guest.0 (docs/guest-channel.md).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "helper/helper.h"

namespace {

void usage() {
    std::fprintf(stderr,
                 "usage: hotseat-guest [--port PATH] [--input-interval SECONDS]\n"
                 "  --port PATH             the channel (default /dev/virtio-ports/org.hotseat.guest.0;\n"
                 "                          a unix socket or a tty works too, for tests)\n"
                 "  --input-interval S      at most one input report every S seconds, 1..600 (default 10)\n");
}

}  // namespace

int main(int argc, char** argv) {
    hotseat::guest::HelperOptions options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--port" && i + 1 < argc) {
            options.port = argv[++i];
        } else if (arg == "--input-interval" && i + 1 < argc) {
            char* end = nullptr;
            long s = std::strtol(argv[++i], &end, 10);
            if (*end != '\0' || s < 1 || s > 600) return usage(), 2;
            options.input_interval_ms = s * 1000;
        } else if (arg == "--version") {
            std::printf("hotseat-guest %s\n", HOTSEAT_VERSION);
            return 0;
        } else {
            usage();
            return arg == "--help" ? 0 : 2;
        }
    }
    return hotseat::guest::Helper(options).run();
}
