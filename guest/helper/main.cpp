// hotseat-guest: runs inside a hotseat VM and reports monitor hotplug, input activity and what
// holds idle to hotseatd over the virtio-serial port org.hotseat.guest.0, and shows the host's
// pending stops as desktop notifications (docs/guest-channel.md).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "helper/helper.h"

namespace {

void usage() {
    std::fprintf(stderr,
                 "usage: hotseat-guest [--port PATH] [--input-interval SECONDS] [--inhibit-interval SECONDS]\n"
                 "                     [--postpone SECONDS] [--asound DIR] [--user-bus-dir DIR]\n"
                 "  --port PATH             the channel (default /dev/virtio-ports/org.hotseat.guest.0;\n"
                 "                          a unix socket or a tty works too, for tests)\n"
                 "  --input-interval S      at most one input report every S seconds, 1..600 (default 10)\n"
                 "  --inhibit-interval S    read audio and logind's idle inhibitors every S seconds, 1..600\n"
                 "                          (default 15)\n"
                 "  --postpone S            what \"Keep my desk\" asks the host for, 1..86400 (default 3600)\n"
                 "  --asound DIR            ALSA's proc directory (default /proc/asound)\n"
                 "  --user-bus-dir DIR      where the users' session buses are: DIR/UID/bus (default /run/user)\n");
}

// A number of seconds in [min, max], or -1.
long seconds_arg(const char* text, long min, long max) {
    char* end = nullptr;
    long s = std::strtol(text, &end, 10);
    return (*text == '\0' || *end != '\0' || s < min || s > max) ? -1 : s;
}

}  // namespace

int main(int argc, char** argv) {
    hotseat::guest::HelperOptions options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--port" && i + 1 < argc) {
            options.port = argv[++i];
        } else if (arg == "--input-interval" && i + 1 < argc) {
            long s = seconds_arg(argv[++i], 1, 600);
            if (s < 0) return usage(), 2;
            options.input_interval_ms = s * 1000;
        } else if (arg == "--inhibit-interval" && i + 1 < argc) {
            long s = seconds_arg(argv[++i], 1, 600);
            if (s < 0) return usage(), 2;
            options.inhibit_interval_ms = s * 1000;
        } else if (arg == "--postpone" && i + 1 < argc) {
            long s = seconds_arg(argv[++i], 1, hotseat::guest::kMaxPostponeSeconds);
            if (s < 0) return usage(), 2;
            options.notifier.postpone_s = static_cast<std::uint32_t>(s);
        } else if (arg == "--asound" && i + 1 < argc) {
            options.asound_root = argv[++i];
        } else if (arg == "--user-bus-dir" && i + 1 < argc) {
            options.notifier.user_bus_dir = argv[++i];
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
