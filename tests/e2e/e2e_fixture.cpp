#include "e2e_fixture.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace hotseat::test {
namespace {

using namespace std::chrono_literals;

std::string config_text(const std::string& libvirt_uri, const ScenarioOptions& options) {
    const unsigned shutdown_timeout_s = options.shutdown_timeout_s;
    return "[supervisor]\n"
           "libvirt_uri = \"" +
           libvirt_uri +
           "\"\n"
           "debounce_ms = 200\n"
           "\n"
           "[[vm]]\nname = \"e2e-guest\"\nshutdown_timeout_s = " +
           std::to_string(shutdown_timeout_s) + "\n" + options.vm_keys +
           (options.usb.empty() ? std::string() : "usb = " + options.usb + "\n") +
           "\n"
           "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\nconnector = \"HDMI-A-1\"\n"
           "action = \"start\"\nvm = \"e2e-guest\"\n"
           "\n"
           "[[rule]]\nname = \"desk-unplug\"\non = \"monitor.disconnected\"\nconnector = \"HDMI-A-1\"\n"
           "action = \"stop\"\nvm = \"e2e-guest\"\n" +
           options.rules;
}

}  // namespace

Stopwatch::Stopwatch(std::string scenario) : scenario_(std::move(scenario)) {}

void Stopwatch::lap(const std::string& step) {
    auto now = Clock::now();
    laps_.emplace_back(step, std::chrono::duration<double>(now - last_).count());
    last_ = now;
}

void Stopwatch::print() const {
    std::string line = "e2e timing: " + scenario_ + ":";
    for (const auto& [step, seconds] : laps_) {
        char buf[96];
        std::snprintf(buf, sizeof buf, " %s %.2fs,", step.c_str(), seconds);
        line += buf;
    }
    char total[48];
    std::snprintf(total, sizeof total, " total %.2fs", std::chrono::duration<double>(last_ - start_).count());
    std::cerr << line << total << "\n";
}

BusRecorder::BusRecorder(const std::string& bus_address, const std::string& output_file) {
    process_ = std::make_unique<Process>(
        Process::Options{{"busctl", "--system", "--json=short", "monitor", "org.hotseat.Supervisor1"},
                         {{"DBUS_SYSTEM_BUS_ADDRESS", bus_address}, {"LD_PRELOAD", ""}},
                         output_file});
}

std::vector<std::string> BusRecorder::libvirt_connected_changes() const {
    static const std::string key = "\"LibvirtConnected\":{\"type\":\"b\",\"data\":";
    std::vector<std::string> values;
    const std::string all = text();
    for (auto at = all.find(key); at != std::string::npos; at = all.find(key, at + key.size())) {
        auto value_at = at + key.size();
        values.push_back(all.compare(value_at, 4, "true") == 0 ? "true" : "false");
    }
    return values;
}

LibvirtSandbox::Options E2e::sandbox_options() const {
    return LibvirtSandbox::Options{.cache_dir = guest_libvirt_cache_dir()};
}

void E2e::SetUp() {
    try {
        image_ = GuestImage::find();
        libvirt_ = std::make_unique<LibvirtSandbox>(sandbox_options());
    } catch (const std::exception& e) {
        const std::string what = e.what();
        FAIL() << what
               << (what.find("scripts/setup") == std::string::npos ? "\n(a component missing? run scripts/setup)" : "");
    }
    testbed_.add_intel_igpu();
}

void E2e::start(ScenarioOptions options) {
    options.guest.name = kVm;
    options.guest.serial_log = dir_.file("serial.log");
    serial_ = std::make_unique<SerialConsole>(options.guest.serial_log);
    libvirt_->define(guest_domain_xml(image_, options.guest));
    write_file(config_, config_text(libvirt_->uri(), options));
    recorder_ = std::make_unique<BusRecorder>(bus_.address(), dir_.file("bus-monitor.json"));
    restart_daemon();
}

void E2e::restart_daemon() {
    const std::string work = dir_.file("hotseatd-" + std::to_string(++daemon_runs_));
    std::filesystem::create_directories(work);
    start_daemon(work);
}

void E2e::kill_daemon() {
    ASSERT_TRUE(daemon_);
    EXPECT_EQ(daemon_->process().stop(SIGKILL), 128 + SIGKILL);
}

std::string E2e::libvirt_connected() const { return manager_property(bus_.address(), "LibvirtConnected"); }

bool E2e::state_becomes(const std::string& wanted, std::chrono::milliseconds timeout) {
    return HotseatdTest::state_becomes(kVmPath, wanted, timeout);
}

void E2e::plug_and_boot(Stopwatch& watch) {
    testbed_.plug_monitor("HDMI-A-1");
    ASSERT_TRUE(state_becomes("running")) << "State is " << state();
    watch.lap("plug->running");
    ASSERT_TRUE(serial_->wait_for(kGuestReady, 1, 30s)) << "the guest never got ready";
    watch.lap("running->guest-ready");
    EXPECT_EQ(serial_->count(kGuestWarning), 0u) << serial_->text();
    EXPECT_EQ(reason(), "desk-monitor");
}

void E2e::TearDown() {
    std::string daemon_log = past_logs_ + (daemon_ ? daemon_->log() : "");
    if (daemon_) daemon_->process().stop(SIGTERM);
    std::string sandbox_log;
    if (libvirt_) {
        sandbox_log = libvirt_->logs();
        libvirt_->stop();
        auto left = libvirt_->leftovers();
        std::string names;
        for (const auto& p : left) names += " [" + p + "]";
        EXPECT_TRUE(left.empty()) << "processes left in the libvirt sandbox:" << names;
    }
    // HOTSEAT_E2E_VERBOSE=1 shows what passing tests did too.
    if (HasFailure() || std::getenv("HOTSEAT_E2E_VERBOSE")) {
        if (!daemon_log.empty()) std::cerr << "---- hotseatd log ----\n" << daemon_log;
        std::cerr << sandbox_log;
        if (serial_) std::cerr << "---- guest serial console ----\n" << serial_->text();
        if (recorder_) std::cerr << "---- bus monitor ----\n" << recorder_->text();
        std::cerr << "----\n";
    }
}

}  // namespace hotseat::test
