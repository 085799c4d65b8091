// Trigger latency on real netlink (docs/design.md "Performance targets"): the comparison of trigger_latency
// (see trigger_compare.h) with the uevent a real udevd-style netlink message (netlink_uevents.h) in a
// private network namespace instead of umockdev's emulated one, so that umockdev's emission cost
// is out of every side. The trigger is a USB device plug (device.added rule; hotseatd takes the
// properties from the uevent, no sysfs read), since sd-device refuses a /sys that is not sysfs and
// this machine's real /sys has no DRM card to plug a monitor into. Here hotseatd must also be at
// least 50x faster than `udev RUN+= virsh start` at the median. Needs root (namespaces); no
// umockdev.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "bare_monitor.h"
#include "netlink_uevents.h"
#include "process.h"
#include "trigger_compare.h"

namespace {

using namespace hotseat::bench;

const std::string kUri = "test://" HOTSEAT_SOURCE_DIR "/tests/data/libvirt/node.xml";

class UsbPlug {
public:
    Clock::time_point send(const char* action) {
        auto message = udev_message(
            "usb", "usb_device",
            {std::string("ACTION=") + action, "DEVPATH=/devices/pci0000:00/0000:00:14.0/usb1/1-7", "SUBSYSTEM=usb",
             "DEVTYPE=usb_device", "ID_VENDOR_ID=feed", "ID_MODEL_ID=beef", "SEQNUM=" + std::to_string(++seqnum_)});
        auto t0 = Clock::now();
        sender_.send(message);
        return t0;
    }

private:
    Sender sender_;
    int seqnum_ = 100;
};

}  // namespace

// Usage: bench_trigger_netlink [--json FILE] [--quick] [N]
int main(int argc, char** argv) {
    return run(argc, argv, "trigger_netlink", 2000, 10, [](const Args& args) -> Report {
        enter_private_namespaces();
        unsetenv("LD_PRELOAD");
        unsetenv("UMOCKDEV_DIR");
        UsbPlug usb;
        TriggerBench bench;
        bench.where = "netlink";
        bench.blocks = args.quick ? 4 : 10;
        bench.measure_bare = [&](int n, bool virsh, Stats& into) {
            BareMonitor mon("usb");
            for (int i = 0; i < n; ++i) {
                auto t0 = usb.send("add");
                mon.receive_one();
                int status = 0;
                if (virsh) hotseat::test::run_capture({"virsh", "-q", "-c", kUri, "start", "arch-desktop"}, &status);
                if (status != 0) throw std::runtime_error("virsh start failed");
                into.samples.push_back(micros(Clock::now() - t0));
            }
        };
        bench.start_baseline = [&](const std::string& bus, const std::string& dir) {
            return start_baseline_service(bus, dir, "usb");
        };
        bench.start_hotseatd = [&](const std::string& binary, const std::string& bus, const std::string& dir) {
            hotseat::test::write_file(
                dir + "/hotseat.toml",
                "[supervisor]\nlibvirt_uri = \"" + kUri +
                    "\"\ndebounce_ms = 0\n[[vm]]\nname = \"arch-desktop\"\n"
                    "[[rule]]\nname = \"in\"\non = \"device.added\"\nmatch = { ID_VENDOR_ID = \"feed\" }\n"
                    "action = \"start\"\nvm = \"arch-desktop\"\n"
                    "[[rule]]\nname = \"out\"\non = \"device.removed\"\nmatch = { ID_VENDOR_ID = \"feed\" }\n"
                    "action = \"stop\"\nvm = \"arch-desktop\"\n");
            return start_hotseatd(dir + "/hotseat.toml", bus, dir, {}, binary);
        };
        bench.plug = [&] { return usb.send("add"); };
        bench.unplug = [&] { usb.send("remove"); };
        return run_trigger_bench(bench, args.quick ? 50 : args.n);
    });
}
