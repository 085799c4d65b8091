// VM start overhead (docs/design.md "Performance targets"): a hotseat-triggered start of the real e2e guest
// (monitor plug uevent → hotseatd → libvirt → the guest's ready marker on its serial console) against
// `virsh start` of the same guest on the same sandboxed libvirtd (start → ready marker), in
// alternating runs so that drift in the machine's load hits both alike. Target: within 5%.
// Must run under umockdev's preload (scripts/bench does that); needs scripts/setup's guest.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "e2e_guest.h"
#include "report.h"
#include "libvirt_sandbox.h"
#include "private_bus.h"
#include "process.h"
#include "testbed.h"

namespace {

using namespace hotseat::bench;
using namespace hotseat::test;
using namespace std::chrono_literals;

const std::string kVm = "e2e-guest";
const std::string kVmPath = "e2e_2dguest";

// One sandboxed libvirtd with the guest defined, watched by one hotseatd on an emulated machine.
class Bench {
public:
    Bench() : libvirt_(LibvirtSandbox::Options{guest_libvirt_cache_dir()}), serial_(dir_.file("serial.log")) {
        GuestOptions guest;
        guest.name = kVm;
        guest.serial_log = dir_.file("serial.log");
        libvirt_.define(guest_domain_xml(GuestImage::find(), guest));
        testbed_.add_intel_igpu();
        const std::string config = dir_.file("hotseat.toml");
        write_file(
            config,
            "[supervisor]\nlibvirt_uri = \"" + libvirt_.uri() +
                "\"\ndebounce_ms = 0\n"
                "[[vm]]\nname = \"e2e-guest\"\nshutdown_timeout_s = 10\nidle_timeout_min = 0\n"
                "[[rule]]\nname = \"plug\"\non = \"monitor.connected\"\naction = \"start\"\nvm = \"e2e-guest\"\n"
                "[[rule]]\nname = \"unplug\"\non = \"monitor.disconnected\"\naction = \"stop\"\nvm = \"e2e-guest\"\n");
        daemon_ = std::make_unique<DaemonProcess>(
            DaemonOptions{config, testbed_.root(), bus_.address(), dir_.path(), {}});
        if (!daemon_->wait_ready(15s)) throw std::runtime_error("hotseatd not ready:\n" + daemon_->log());
    }

    // Request → QEMU process up (what the start path costs), and request → the guest's ready
    // marker (what the user waits for).
    struct Sample {
        double qemu_up_ms;
        double ready_ms;
    };

    Sample hotseat_start() {
        auto before = serial_.count(kGuestReady);
        auto t0 = Clock::now();
        testbed_.plug_monitor("HDMI-A-1");
        Sample sample = wait_boot(t0, before);
        testbed_.unplug_monitor("HDMI-A-1");
        wait_off();
        return sample;
    }

    Sample virsh_start() {
        auto before = serial_.count(kGuestReady);
        auto t0 = Clock::now();
        Process virsh(libvirt_.virsh_command({"start", kVm}, dir_.file("virsh-start.out")));
        Sample sample = wait_boot(t0, before);
        if (virsh.wait(10s) != 0) throw std::runtime_error("virsh start failed: " + virsh.output());
        libvirt_.virsh({"shutdown", kVm});
        wait_off();
        return sample;
    }

    void check_clean() {
        daemon_.reset();
        libvirt_.stop();
        if (!libvirt_.leftovers().empty()) throw std::runtime_error("processes left in the libvirt sandbox");
    }

private:
    Sample wait_boot(Clock::time_point t0, size_t ready_before) {
        if (!wait_until([&] { return libvirt_.qemu_pid(kVm) != 0; }, 30s))
            throw std::runtime_error("QEMU did not start\n" + daemon_->log() + libvirt_.logs());
        Sample sample{millis(Clock::now() - t0), 0};
        if (!serial_.wait_for(kGuestReady, ready_before + 1, 60s))
            throw std::runtime_error("the guest did not get ready\n" + serial_.text() + libvirt_.logs());
        sample.ready_ms = millis(Clock::now() - t0);
        return sample;
    }
    // Both the guest gone and hotseatd settled, so the next run starts from the same place.
    void wait_off() {
        bool off = wait_until([&] { return libvirt_.qemu_pid(kVm) == 0 && vm_state(bus_.address(), kVmPath) == "off"; },
                              30s);
        if (!off) throw std::runtime_error("the guest did not stop\n" + daemon_->log());
    }

    TempDir dir_;
    Testbed testbed_;
    PrivateBus bus_;
    LibvirtSandbox libvirt_;
    SerialConsole serial_;
    std::unique_ptr<DaemonProcess> daemon_;
};

Figure within_five_percent(const std::string& figure, const Stats& hotseat, const Stats& virsh) {
    return hotseat::bench::ratio_figure(figure, hotseat.median(), virsh.median(), Better::Lower, 1.05, "ms");
}

}  // namespace

// Usage: bench_vm_start [--json FILE] [RUNS]   RUNS: recorded starts of each kind (default 7), after
// one warm-up start of each
int main(int argc, char** argv) {
    return hotseat::bench::run(
        argc, argv, "vm_start", 7, 2, [](const hotseat::bench::Args& args) -> hotseat::bench::Report {
            const int runs = args.quick ? 2 : args.n;
            Bench bench;
            Stats virsh_up{"virsh start -> QEMU up", "ms", {}}, hotseat_up{"hotseatd: plug -> QEMU up", "ms", {}};
            Stats virsh_ready{"virsh start -> guest ready marker", "ms", {}},
                hotseat_ready{"hotseatd: plug -> guest ready marker", "ms", {}};
            auto record = [](Stats& up, Stats& ready, Bench::Sample s) {
                up.samples.push_back(s.qemu_up_ms);
                ready.samples.push_back(s.ready_ms);
            };
            // One start of each first, not recorded: the first start after libvirtd came up pays
            // once for what later ones find cached (it was 1.1 s slower than the rest). Not in --quick.
            if (!args.quick) {
                bench.virsh_start();
                bench.hotseat_start();
            }
            for (int i = 0; i < runs; ++i) {
                // Alternate which goes first, so neither always follows the other's shutdown.
                if (i % 2 == 0) record(virsh_up, virsh_ready, bench.virsh_start());
                record(hotseat_up, hotseat_ready, bench.hotseat_start());
                if (i % 2 == 1) record(virsh_up, virsh_ready, bench.virsh_start());
                std::cerr << "run " << i + 1 << "/" << runs << ": virsh " << virsh_ready.samples.back()
                          << " ms, hotseat " << hotseat_ready.samples.back() << " ms to the ready marker\n";
            }
            bench.check_clean();
            std::vector<Figure> figures{
                within_five_percent("start to guest ready: hotseat / virsh", hotseat_ready, virsh_ready),
                within_five_percent("start to QEMU up: hotseat / virsh", hotseat_up, virsh_up),
            };
            return {{virsh_up, hotseat_up, virsh_ready, hotseat_ready}, figures};
        });
}
