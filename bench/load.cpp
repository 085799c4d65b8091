// Trigger latency under load (docs/design.md "Performance targets"): a monitor plug on the emulated machine
// (umockdev) while 1 000 uevents a second of unrelated USB devices (adds and removes of devices no rule is
// about) arrive and a client polls GetAll on every VM object ten times a second, with a large
// configuration (16 VMs, 256 rules: the most hotseat.toml allows) against the same with a small
// one (1 VM, 4 rules). Every unrelated uevent still goes through classification and every rule.
//   trigger:  monitor plug → State leaving "off" seen by a client (as in trigger_latency), plugged
//             and unplugged over and over during the storm. Target: the large configuration's
//             p99 within 2x the small one's.
//   CPU time: hotseatd's user + system time over the storm (/proc/PID/stat), per second.
// The two configurations run in alternating blocks; the libvirt test driver serves 16 domains
// to both. Must run under umockdev's preload (scripts/bench does that), as root: umockdev hands
// each uevent to a listener's datagram socket without waiting and aborts when its queue is full,
// and the queue of a unix datagram socket holds net.unix.max_dgram_qlen datagrams (10 by
// default). A network namespace of its own lets the benchmark give hotseatd's emulated uevent
// socket the depth its real netlink socket has (128 MiB) without touching the host's setting.
#include <sched.h>
#include <systemd/sd-bus.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "private_bus.h"
#include "netlink_uevents.h"
#include "process.h"
#include "report.h"
#include "service.h"
#include "state_watcher.h"
#include "testbed.h"

namespace {

using namespace hotseat::bench;
using hotseat::test::Testbed;
using namespace std::chrono_literals;

constexpr int kVms = 16;
constexpr int kStormRate = 1000;     // uevents per second
constexpr auto kPollPeriod = 100ms;  // every VM's GetAll, ten times a second

std::string vm_name(int i) {
    char name[8];
    std::snprintf(name, sizeof name, "vm%02d", i);
    return name;
}

// Domains vm00 .. vm15 for libvirt's test driver, all shut off.
std::string libvirt_node() {
    std::string xml = "<node>\n";
    for (int i = 0; i < kVms; ++i) {
        char uuid[40];
        std::snprintf(uuid, sizeof uuid, "6695eb01-f6a4-8304-79aa-97f2502e%04d", i);
        xml += "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>" + vm_name(i) +
               "</name><uuid>" + uuid +
               "</uuid><memory unit='MiB'>512</memory><vcpu>1</vcpu>"
               "<os><type arch='x86_64'>hvm</type></os><test:runstate>5</test:runstate></domain>\n";
    }
    return xml + "</node>\n";
}

std::string rule(const std::string& name, const std::string& body, const std::string& vm) {
    return "[[rule]]\nname = \"" + name + "\"\n" + body + "vm = \"" + vm + "\"\n";
}

// The measured pair (monitor plug starts vm00, unplug stops it) and `extra` more rules spread
// over `vms` VMs, of the kinds a real configuration has, none matching the storm's devices
// (their vendor matches, their model does not, so every one is compared).
std::string config(const std::string& node_file, int vms, int extra) {
    std::string text = "[supervisor]\nlibvirt_uri = \"test://" + node_file + "\"\ndebounce_ms = 0\n";
    for (int i = 0; i < vms; ++i) text += "[[vm]]\nname = \"" + vm_name(i) + "\"\n";
    text += rule("plug", "on = \"monitor.connected\"\nconnector = \"HDMI-A-1\"\naction = \"start\"\n", vm_name(0));
    text += rule("unplug", "on = \"monitor.disconnected\"\nconnector = \"HDMI-A-1\"\naction = \"stop\"\n", vm_name(0));
    for (int k = 0; k < extra; ++k) {
        char model[16];  // room for any int in hex: gcc -O0 (the asan preset) checks it
        std::snprintf(model, sizeof model, "%04x", 0x8000 + k);
        const std::string match = "match = { ID_VENDOR_ID = \"1d6b\", ID_MODEL_ID = \"" + std::string(model) + "\" }\n";
        const std::string name = "r" + std::to_string(k);
        const std::string vm = vm_name(k % vms);
        switch (k % 4) {
            case 0: text += rule(name, "on = \"device.added\"\n" + match + "action = \"start\"\n", vm); break;
            case 1: text += rule(name, "on = \"device.removed\"\n" + match + "action = \"stop\"\n", vm); break;
            case 2:
                text += rule(
                    name,
                    "on = \"monitor.connected\"\nconnector = \"DP-" + std::to_string(k) + "\"\naction = \"start\"\n",
                    vm);
                break;
            default:
                text += rule(name,
                             "on = \"hotkey\"\nkeys = [\"KEY_LEFTCTRL\", \"KEY_LEFTALT\", \"KEY_F" +
                                 std::to_string(1 + k % 12) + "\"]\naction = \"toggle\"\n",
                             vm);
        }
    }
    return text;
}

// The emulated machine: the desk's iGPU (whose monitor is plugged by umockdev, as in
// trigger_latency) and eight unrelated USB devices whose adds and removes make the storm.
class Machine {
public:
    Machine() {
        tb_.add_intel_igpu();
        for (int i = 0; i < 8; ++i) {
            auto syspath = tb_.add_usb_device("1d6b", "01" + std::to_string(10 + i));
            storm_devpaths_.push_back(syspath.substr(std::string("/sys").size()));
        }
    }
    const std::string& root() const { return tb_.root(); }
    // Storm uevent `i` as udevd would send it, with the properties its rules add.
    std::string storm_uevent(long i) const {
        const auto& devpath = storm_devpaths_[static_cast<size_t>(i) % storm_devpaths_.size()];
        const std::string model = "01" + std::to_string(10 + i % static_cast<long>(storm_devpaths_.size()));
        return udev_message("usb", "usb_device",
                            {std::string("ACTION=") + (i % 2 ? "remove" : "add"), "DEVPATH=" + devpath, "SUBSYSTEM=usb",
                             "DEVTYPE=usb_device", "ID_VENDOR_ID=1d6b", "ID_MODEL_ID=" + model, "BUSNUM=001",
                             "DEVNUM=0" + std::to_string(10 + i % 8), "SEQNUM=" + std::to_string(1000000 + i)});
    }
    Clock::time_point plug(bool connected) {
        tb_.set_connector_status("HDMI-A-1", connected ? "connected" : "disconnected");
        auto t0 = Clock::now();
        tb_.send_hotplug();
        return t0;
    }

private:
    Testbed tb_;
    std::vector<std::string> storm_devpaths_;
};

// Something running on a thread of its own at a steady pace until stopped.
class Paced {
public:
    Paced(Clock::duration period, std::function<void(long)> tick)
        : thread_([this, period, tick = std::move(tick)] {
              auto next = Clock::now();
              for (long i = 0; !stop_; ++i) {
                  tick(i);
                  ++ticks_;
                  next += period;
                  std::this_thread::sleep_until(next);
              }
          }) {}
    ~Paced() { stop(); }
    long stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        return ticks_;
    }

private:
    std::atomic<bool> stop_{false};
    std::atomic<long> ticks_{0};
    std::thread thread_;
};

// Every VM's GetAll, from one client connection.
class Poller {
public:
    Poller(const std::string& address, int vms, Stats& latencies) : latencies_(latencies) {
        if (sd_bus_new(&bus_) < 0 || sd_bus_set_address(bus_, address.c_str()) < 0 ||
            sd_bus_set_bus_client(bus_, 1) < 0 || sd_bus_start(bus_) < 0)
            throw std::runtime_error("poller cannot connect to " + address);
        for (int i = 0; i < vms; ++i) {
            char* path = nullptr;
            sd_bus_path_encode("/org/hotseat/Supervisor1/vm", vm_name(i).c_str(), &path);
            paths_.emplace_back(path);
            free(path);
        }
    }
    ~Poller() { sd_bus_flush_close_unref(bus_); }
    void poll_all() {
        for (const auto& path : paths_) {
            sd_bus_message* reply = nullptr;
            auto t0 = Clock::now();
            int r = sd_bus_call_method(bus_, "org.hotseat.Supervisor1", path.c_str(), "org.freedesktop.DBus.Properties",
                                       "GetAll", nullptr, &reply, "s", "org.hotseat.Supervisor1.VM");
            latencies_.samples.push_back(micros(Clock::now() - t0));
            sd_bus_message_unref(reply);
            if (r < 0) failures_++;
        }
    }
    int failures() const { return failures_; }

private:
    sd_bus* bus_ = nullptr;
    std::vector<std::string> paths_;
    Stats& latencies_;
    std::atomic<int> failures_{0};
};

struct Result {
    Stats trigger, cpu, getall;
    double storm_seconds = 0;
    long storm_events = 0;
    long storm_dropped = 0;  // hotseatd's queue was full
};

// One block: a fresh hotseatd on `config_text`, the storm and the poller running, plug/unplug
// cycles until `duration` has passed.
void measure_block(Machine& tb, const std::string& config_text, int vms, Clock::duration duration, Result& r) {
    hotseat::test::TempDir dir;
    hotseat::test::PrivateBus bus;
    hotseat::test::write_file(dir.file("hotseat.toml"), config_text);
    tb.plug(false);
    auto hotseatd = start_hotseatd(dir.file("hotseat.toml"), bus.address(), dir.path(),
                                   hotseat::test::umockdev_environment(tb.root()));
    StateWatcher watcher(bus.address(), "/org/hotseat/Supervisor1/vm/" + vm_name(0));
    Poller poller(bus.address(), vms, r.getall);
    const double cpu0 = cpu_time_ms(hotseatd->pid());
    const auto t0 = Clock::now();
    UmockdevSender sender(tb.root());
    std::atomic<long> dropped{0};
    Paced storm(std::chrono::microseconds(1000000 / kStormRate),
                [&](long i) { dropped += !sender.send(tb.storm_uevent(i)); });
    Paced polling(kPollPeriod, [&](long) { poller.poll_all(); });
    auto plug = [&] { return tb.plug(true); };
    auto unplug = [&] { tb.plug(false); };
    try {
        plug_cycle(watcher, plug, unplug);  // the warm-up (see measure_state_latency)
        while (Clock::now() - t0 < duration) r.trigger.samples.push_back(plug_cycle(watcher, plug, unplug));
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string(e.what()) + "\nhotseatd said:\n" + hotseatd->output());
    }
    r.storm_events += storm.stop();
    r.storm_dropped += dropped;
    polling.stop();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.storm_seconds += seconds;
    r.cpu.samples.push_back((cpu_time_ms(hotseatd->pid()) - cpu0) / seconds);
    if (poller.failures() > 0) throw std::runtime_error(std::to_string(poller.failures()) + " GetAll calls failed");
    if (!hotseatd->running()) throw std::runtime_error("hotseatd died under load:\n" + hotseatd->output());
}

void deepen_uevent_queues() {
    if (::unshare(CLONE_NEWNET) != 0) throw std::runtime_error("unshare(CLONE_NEWNET) (needs root)");
    std::ofstream qlen("/proc/sys/net/unix/max_dgram_qlen");
    qlen << 100000 << "\n";
    if (!qlen.flush()) throw std::runtime_error("cannot set net.unix.max_dgram_qlen in the private network namespace");
}

}  // namespace

// Usage: bench_load [--json FILE] [--quick] [SECONDS]   (storm per configuration; default 60)
int main(int argc, char** argv) {
    return run(argc, argv, "load", 60, 4, [](const Args& args) -> Report {
        const int seconds = args.quick ? 10 : args.n;
        constexpr int rounds = 2;
        deepen_uevent_queues();
        Machine tb;
        hotseat::test::TempDir dir;
        hotseat::test::write_file(dir.file("node.xml"), libvirt_node());
        const std::string small = config(dir.file("node.xml"), 1, 2), large = config(dir.file("node.xml"), kVms, 254);
        Result s{{"small config (1 VM, 4 rules): trigger under load", "us", {}},
                 {"small config: hotseatd CPU ms per s", "ms/s", {}},
                 {"small config: GetAll under load", "us", {}}};
        Result l{{"large config (16 VMs, 256 rules): trigger under load", "us", {}},
                 {"large config: hotseatd CPU ms per s", "ms/s", {}},
                 {"large config: GetAll under load", "us", {}}};
        const auto block = std::chrono::seconds(seconds) / rounds;
        for (int round = 0; round < rounds; ++round) {
            measure_block(tb, small, 1, block, s);
            measure_block(tb, large, kVms, block, l);
        }
        const double storm_rate = static_cast<double>(s.storm_events + l.storm_events) /
                                  (s.storm_seconds + l.storm_seconds);
        auto p99 = ratio_figure("trigger p99 under load: 16 VMs, 256 rules / 1 VM, 4 rules", l.trigger.at(0.99),
                                s.trigger.at(0.99), Better::Lower, 2.0, "us");
        p99.note = std::to_string(static_cast<int>(storm_rate)) + " unrelated uevents/s sent (" +
                   std::to_string(s.storm_dropped + l.storm_dropped) + " dropped), GetAll of every VM 10x/s; " +
                   std::to_string(l.trigger.samples.size()) + " and " + std::to_string(s.trigger.samples.size()) +
                   " plugs";
        auto p50 = info_figure("trigger p50 under load: 16 VMs, 256 rules / 1 VM, 4 rules", l.trigger.median(),
                               s.trigger.median(), "us");
        auto cpu = info_figure("hotseatd CPU under load: 16 VMs, 256 rules / 1 VM, 4 rules", l.cpu.median(),
                               s.cpu.median(), "ms/s");
        cpu.note = "CPU milliseconds per second of storm (user + system)";
        return {{s.trigger, l.trigger, s.cpu, l.cpu, s.getall, l.getall}, {p99, p50, cpu}};
    });
}
