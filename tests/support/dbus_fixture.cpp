#include "dbus_fixture.h"

#include <cstdlib>
#include <algorithm>
#include <stdexcept>

namespace hotseat::test {
namespace {

std::vector<std::string> nobody(std::vector<std::string> argv) {
    std::vector<std::string> out{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

}  // namespace

void DbusServiceTest::SetUp() {
    bus_ = std::make_unique<PrivateBus>(PrivateBus::Options{permissive_bus()});
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_->address().c_str(), 1);
    ASSERT_GE(sd_event_new(&loop_), 0);

    dbus::BusService::Handlers handlers;
    handlers.command = [this](const Command& command) {
        if (throw_from_handler_) throw std::runtime_error("handler exploded");
        commands_.push_back(command);
        auto it = replies_.find(command.vm);
        return it == replies_.end() ? CommandReply{} : it->second;
    };
    handlers.postpone = [this](const PostponeRequest& request) {
        postpones_.push_back(request);
        auto it = replies_.find(request.vm);
        return it == replies_.end() ? CommandReply{} : it->second;
    };
    handlers.reload = [this] {
        ++reloads_;
        return reload_error_;
    };
    service_ = std::make_unique<dbus::BusService>(std::vector<std::string>{"arch-desktop", "win11"},
                                                  std::move(handlers), kControlGroup, "1.2.3-test");
    service_->request_name();
    service_->attach(loop_);

    watcher_ = sdbus::createSystemBusConnection();
    match_ = dbus::sdbus_compat::add_match(*watcher_, "type='signal',sender='org.hotseat.Supervisor1'",
                                           [this](sdbus::Message& message) { record(message); });
    watcher_source_ = std::make_unique<dbus::SdEventBusSource>(loop_, *watcher_);
}

void DbusServiceTest::TearDown() {
    watcher_source_.reset();
    match_.reset();
    watcher_.reset();
    service_.reset();
    sd_event_unref(loop_);
    if (HasFailure() && bus_) std::cerr << "dbus-daemon output:\n" << bus_->output() << "\n";
    bus_.reset();
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
}

bool DbusServiceTest::pump_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        // Wakes at once on bus traffic; the short cap only bounds how late a condition that
        // is not an fd (a finished child process) is noticed.
        sd_event_run(loop_, 5000);
    }
    return true;
}

Captured DbusServiceTest::run(std::vector<std::string> argv, bool as_nobody) {
    if (as_nobody) argv = nobody(std::move(argv));
    // stderr joins stdout in one file: busctl and dbus-send report failures there. The child
    // runs while the loop keeps serving the bus it calls.
    TempDir dir;
    Process child({argv, {{"DBUS_SYSTEM_BUS_ADDRESS", bus_->address()}}, dir.file("output")});
    bool done = pump_until([&] { return !child.running(); }, std::chrono::seconds(30));
    if (!done) ADD_FAILURE() << "command did not finish: " << argv.front();
    Captured c;
    c.status = done ? child.wait(std::chrono::milliseconds(0)) : child.stop();
    c.output = child.output();
    return c;
}

Captured DbusServiceTest::busctl(std::vector<std::string> args, bool as_nobody) {
    args.insert(args.begin(), {"busctl", "--system"});
    return run(std::move(args), as_nobody);
}

Captured DbusServiceTest::dbus_send(const std::string& path, const std::string& method, bool as_nobody) {
    return run({"dbus-send", "--system", "--print-reply", "--dest=org.hotseat.Supervisor1", path, method}, as_nobody);
}

void DbusServiceTest::settle_signals() {
    std::string name = "sentinel-" + std::to_string(++sentinels_);
    service_->emit(RuleFired{name, "", "", ""});
    bool arrived = pump_until([&] {
        for (const auto& s : signals_)
            if (s.member == "RuleFired" && !s.args.empty() && s.args[0] == name) return true;
        return false;
    });
    ASSERT_TRUE(arrived) << "sentinel signal never arrived";
    std::erase_if(signals_, [&](const SeenSignal& s) { return s.member == "RuleFired" && s.args[0] == name; });
}

std::vector<SeenSignal> DbusServiceTest::seen(const std::string& member) const {
    std::vector<SeenSignal> out;
    for (const auto& s : signals_)
        if (s.member == member) out.push_back(s);
    return out;
}

void DbusServiceTest::record(sdbus::Message& message) {
    SeenSignal s{message.getPath(), message.getMemberName(), {}, {}, {}};
    if (s.member == "PropertiesChanged") {
        std::string interface;
        std::map<std::string, sdbus::Variant> changed;
        std::vector<std::string> invalidated;
        message >> interface >> changed >> invalidated;
        s.args.push_back(interface);
        for (const auto& [name, value] : changed) s.args.push_back(name);
        s.values = std::move(changed);
        s.invalidated = std::move(invalidated);
    } else if (s.member == "RuleFired") {
        std::string rule, event, vm, action;
        message >> rule >> event >> vm >> action;
        s.args = {rule, event, vm, action};
    } else if (s.member == "InterfacesAdded" || s.member == "InterfacesRemoved") {
        sdbus::ObjectPath path;
        message >> path;
        s.args.push_back(path);
    } else {
        return;  // NameAcquired and other bus chatter
    }
    signals_.push_back(std::move(s));
}

}  // namespace hotseat::test
