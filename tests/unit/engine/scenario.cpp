#include "scenario.h"

#include "core/keyboard_watch.h"

#include <libevdev/libevdev.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/effect_text.h"
#include "hotseat/names.h"

namespace hotseat::scenario {
namespace {

constexpr std::uint64_t kWallEpochUs = 1'700'000'000'000'000;  // wall clock = epoch + script time

Now at(std::int64_t ms) { return Now{ms, kWallEpochUs + static_cast<std::uint64_t>(ms) * 1000}; }

// A wall-clock deadline as the script time it stands for.
std::string script_time(std::uint64_t wall_us) {
    return std::to_string((static_cast<std::int64_t>(wall_us) - static_cast<std::int64_t>(kWallEpochUs)) / 1000);
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string joined_devices(const std::vector<std::string>& devices) {
    std::string out;
    for (const auto& d : devices) out += (out.empty() ? "" : ",") + quoted(d);
    return out;
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string rest(const std::vector<std::string>& w, size_t from) {
    std::string out;
    for (size_t i = from; i < w.size(); ++i) out += (out.empty() ? "" : " ") + w[i];
    return out;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

struct ParseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const std::string& arg(const std::vector<std::string>& w, size_t i, const char* what) {
    if (i >= w.size()) throw ParseError(std::string("missing ") + what);
    return w[i];
}

std::pair<std::string, std::string> split_connector(const std::string& full) {
    auto dash = full.find('-');
    if (dash == std::string::npos) throw ParseError("connector must be cardN-NAME: " + full);
    return {full.substr(0, dash), full.substr(dash + 1)};
}

Action parse_action(const std::string& s) {
    auto a = action_from_string(s);
    if (!a) throw ParseError("unknown action " + s);
    return *a;
}

DomainOp parse_op(const std::string& s) {
    if (auto op = from_name<DomainOp>(s)) return *op;
    throw ParseError("unknown operation " + s);
}

// KEY=VALUE; a key given twice is joined with a space, as udev lists DEVLINKS.
void add_property(std::map<std::string, std::string>& properties, const std::string& word) {
    auto eq = word.find('=');
    if (eq == std::string::npos) throw ParseError("property must be KEY=VALUE: " + word);
    auto [it, fresh] = properties.try_emplace(word.substr(0, eq), word.substr(eq + 1));
    if (!fresh) it->second += " " + word.substr(eq + 1);
}

TuneOp parse_tune_op(const std::string& s) {
    if (auto op = from_name<TuneOp>(s)) return *op;
    throw ParseError("unknown governor operation " + s);
}

// "tune VM OP ok [PREVIOUS [PERIOD]]" / "tune VM OP failed MESSAGE": a governor call returned.
Event parse_tune(const std::vector<std::string>& w) {
    TuneResult r;
    r.vm = arg(w, 1, "vm");
    r.op = parse_tune_op(arg(w, 2, "operation"));
    r.ok = arg(w, 3, "ok|failed") == "ok";
    if (!r.ok)
        r.error = rest(w, 4);
    else if (w.size() > 4)
        r.previous = std::stoll(w[4]);
    if (r.ok && w.size() > 5) r.previous_period = std::stoll(w[5]);
    return r;
}

// guest VM path PATH | guest VM no-channel WHY | guest VM no-answer WHY | guest VM hello VERSION
// [PROTOCOL] | guest VM connector card0-HDMI-A-1 connected|disconnected [initial] | guest VM input
// IDLE_MS | guest VM closed WHY | guest VM postpone SECONDS | guest VM inhibit REASON... |
// guest VM inhibit-off | guest VM hotkey KEY_A+KEY_B
Event parse_guest_event(const std::vector<std::string>& w) {
    const std::string& vm = arg(w, 1, "vm");
    const std::string& what = arg(
        w, 2, "path|no-channel|no-answer|hello|connector|input|closed|postpone|inhibit|inhibit-off|hotkey");
    if (what == "path") return GuestChannelPath{vm, arg(w, 3, "path"), ""};
    if (what == "no-channel") return GuestChannelPath{vm, "", rest(w, 3)};
    if (what == "no-answer") return GuestChannelPath{vm, "", rest(w, 3), true};
    if (what == "hello") return GuestHello{vm, w.size() > 4 ? std::stoi(w[4]) : 1, arg(w, 3, "version")};
    if (what == "postpone") return GuestPostpone{vm, static_cast<std::uint32_t>(std::stoul(arg(w, 3, "seconds")))};
    if (what == "inhibit") return GuestInhibit{vm, true, rest(w, 3)};
    if (what == "inhibit-off") return GuestInhibit{vm, false, ""};
    if (what == "hotkey") {
        GuestHotkey h{vm, {}};
        std::string chord = arg(w, 3, "chord");
        for (std::size_t at = 0; at <= chord.size();) {
            std::size_t plus = std::min(chord.find('+', at), chord.size());
            h.keys.push_back(chord.substr(at, plus - at));
            at = plus + 1;
        }
        return h;
    }
    if (what == "input") return GuestInput{vm, static_cast<std::uint32_t>(std::stoul(arg(w, 3, "idle ms")))};
    if (what == "closed") return GuestChannelClosed{vm, rest(w, 3)};
    if (what == "connector") {
        auto [card, name] = split_connector(arg(w, 3, "connector"));
        const std::string& status = arg(w, 4, "status");
        if (status != "connected" && status != "disconnected") throw ParseError("status " + status);
        return GuestConnector{vm, card, name, status == "connected", w.size() > 5 && w[5] == "initial"};
    }
    throw ParseError("unknown guest event " + what);
}

// "released VM [ADDRESS=DRIVER|none ...] console bound|unbound": the hook's release record.
Event parse_released(const std::vector<std::string>& w) {
    GpuRelease r;
    r.vm = arg(w, 1, "vm");
    size_t i = 2;
    for (; i < w.size() && w[i] != "console"; ++i) {
        auto eq = w[i].find('=');
        if (eq == std::string::npos) throw ParseError("gpu must be ADDRESS=DRIVER: " + w[i]);
        std::string driver = w[i].substr(eq + 1);
        r.gpus.push_back(GpuDriver{w[i].substr(0, eq), driver == "none" ? "" : driver});
    }
    const std::string& console = arg(w, i + 1, "bound|unbound");
    if (console != "bound" && console != "unbound") throw ParseError("console " + console);
    r.console_bound = console == "bound";
    return r;
}

// "connector card0-HDMI-A-1 connected initial" etc. → an Event. Commands are handled apart.
Event parse_event(const std::vector<std::string>& w) {
    const std::string& kind = arg(w, 0, "event");
    if (kind == "connector") {
        auto [card, name] = split_connector(arg(w, 1, "connector"));
        const std::string& status = arg(w, 2, "status");
        if (status != "connected" && status != "disconnected" && status != "unknown")
            throw ParseError("status " + status);
        bool initial = w.size() > 3 && w[3] == "initial";
        return ConnectorStatus{card, name, status == "connected", initial, status == "unknown"};
    }
    if (kind == "connector-removed") {
        auto [card, name] = split_connector(arg(w, 1, "connector"));
        return ConnectorRemoved{card, name};
    }
    if (kind == "device") {
        DeviceEvent ev;
        const std::string& what = arg(w, 1, "added|removed");
        ev.kind = what == "removed" ? DeviceEvent::Kind::Removed : DeviceEvent::Kind::Added;
        for (size_t i = 2; i < w.size(); ++i) {
            if (w[i] == "initial") {
                ev.initial = true;
                continue;
            }
            if (w[i].rfind("/sys/", 0) == 0) {
                ev.syspath = w[i];
                continue;
            }
            add_property(ev.properties, w[i]);
        }
        return ev;
    }
    if (kind == "libvirt") {
        bool up = arg(w, 1, "connected|disconnected") == "connected";
        return LibvirtConnection{up, up ? "" : rest(w, 2)};
    }
    if (kind == "snapshot") {
        DomainSnapshot s{arg(w, 1, "vm"), true, DomainRunState::Off};
        const std::string& st = arg(w, 2, "state");
        if (st == "missing")
            s.exists = false;
        else if (auto state = from_name<DomainRunState>(st))
            s.state = *state;
        else
            throw ParseError("snapshot state " + st);
        s.paused_mid_start = s.state == DomainRunState::Paused && w.size() > 3 && w[3] == "mid-start";
        return s;
    }
    if (kind == "lifecycle") {
        DomainLifecycle l;
        l.vm = arg(w, 1, "vm");
        const std::string& k = arg(w, 2, "started|stopped|crashed|suspended");
        l.kind = k == "started"     ? DomainLifecycle::Kind::Started
                 : k == "crashed"   ? DomainLifecycle::Kind::Crashed
                 : k == "suspended" ? DomainLifecycle::Kind::Suspended
                                    : DomainLifecycle::Kind::Stopped;
        if (w.size() > 3) l.detail = w[3];
        l.by_guest = w.size() > 4 && w[4] == "guest";
        return l;
    }
    if (kind == "result") {  // went-down: failed, but the domain was going down (hibernate)
        DomainOpResult r{arg(w, 1, "vm"), parse_op(arg(w, 2, "op")), false, "", false};
        const std::string& outcome = arg(w, 3, "ok|failed|went-down");
        r.ok = outcome == "ok";
        r.guest_went_down = outcome == "went-down";
        if (!r.ok) r.error = rest(w, 4);
        return r;
    }
    if (kind == "keyboard") {  // keyboard added|removed NODE [NAME] [KEY=VALUE...]
        const std::string& what = arg(w, 1, "added|removed");
        const std::string& node = arg(w, 2, "node");
        if (what == "removed") return KeyboardRemoved{node};
        KeyboardAdded k{node, "", {}};
        for (size_t i = 3; i < w.size(); ++i) {
            auto eq = w[i].find('=');
            if (eq == std::string::npos)
                k.name += (k.name.empty() ? "" : " ") + w[i];
            else
                add_property(k.properties, w[i]);
        }
        return k;
    }
    if (kind == "key") {  // key NODE KEY_NAME down|up|repeat
        const std::string& node = arg(w, 1, "node");
        int code = libevdev_event_code_from_name(EV_KEY, arg(w, 2, "key name").c_str());
        if (code < 0) throw ParseError("unknown key " + w[2]);
        const std::string& how = arg(w, 3, "down|up|repeat");
        std::int32_t value = how == "down" ? 1 : how == "repeat" ? 2 : 0;
        return KeyEvent{node, static_cast<std::uint16_t>(code), value};
    }
    if (kind == "usb") {  // usb bound|unbound SYSPATH [KEY=VALUE...]
        const std::string& what = arg(w, 1, "bound|unbound");
        if (what != "bound" && what != "unbound") throw ParseError("usb " + what);
        UsbDeviceBinding b{what == "bound", arg(w, 2, "syspath"), {}};
        for (size_t i = 3; i < w.size(); ++i) add_property(b.properties, w[i]);
        return b;
    }
    if (kind == "pressure") return PressureStall{arg(w, 1, "resource")};  // pressure cpu|memory
    if (kind == "tune") return parse_tune(w);
    if (kind == "tick") return Tick{};
    if (kind == "guest") return parse_guest_event(w);
    if (kind == "gpu") {  // gpu ADDRESS DRIVER|none
        const std::string& driver = arg(w, 2, "driver");
        return GpuDriver{arg(w, 1, "address"), driver == "none" ? "" : driver};
    }
    if (kind == "released") return parse_released(w);
    if (kind == "cpu") {  // cpu VM NS VCPUS | cpu VM failed MESSAGE
        const std::string& vm = arg(w, 1, "vm");
        if (arg(w, 2, "ns|failed") == "failed") return CpuSample{vm, false, 0, 0, rest(w, 3)};
        return CpuSample{vm, true, std::stoull(w[2]), static_cast<std::uint32_t>(std::stoul(arg(w, 3, "vcpus"))), ""};
    }
    throw ParseError("unknown event " + kind);
}

const char* outcome_word(CommandReply::Outcome o) {
    switch (o) {
        case CommandReply::Outcome::Accepted: return "accepted";
        case CommandReply::Outcome::NotFound: return "not-found";
        case CommandReply::Outcome::Busy: return "busy";
        case CommandReply::Outcome::Failed: return "failed";
    }
    return "?";
}

class Runner {
public:
    Runner(std::string path, std::string config_dir) : path_(std::move(path)), config_dir_(std::move(config_dir)) {}

    std::vector<std::string> run();

private:
    void load_config(const std::string& name);
    void feed(size_t line_no, std::int64_t t, const std::vector<std::string>& w);
    void check_expected();
    void assertion(size_t line_no, const std::vector<std::string>& w);
    void fail(size_t line_no, const std::string& message) {
        failures_.push_back(path_ + ":" + std::to_string(line_no) + ": " + message);
    }

    std::string path_, config_dir_;
    std::unique_ptr<Engine> engine_;
    std::vector<std::string> failures_;
    // The effects of the last event, waiting to be compared with the "->" lines under it.
    size_t event_line_ = 0;
    std::vector<std::string> actual_, logs_, expected_;
    std::int64_t now_ = 0;
    // Gpus and release-record effects are compared only after `show gpus` (README.md).
    bool show_gpus_ = false;
    // Info, warning and error log lines are compared only after `show logs` (README.md).
    bool show_logs_ = false;
    // "vm op syspath" → the device of the last AttachUsb/DetachUsb, for `usb-result` lines.
    std::map<std::string, UsbHostDevice> usb_requests_;
    UsbOpResult parse_usb_result(const std::vector<std::string>& w) const;
    void remember_usb(const Effect& effect);
};

// usb-result VM attach|detach SYSPATH ok|failed [MESSAGE]: the device is the one last asked for.
UsbOpResult Runner::parse_usb_result(const std::vector<std::string>& w) const {
    UsbOpResult r;
    r.vm = arg(w, 1, "vm");
    const std::string& op = arg(w, 2, "attach|detach");
    auto usb_op = from_name<UsbOp>(op);
    if (!usb_op) throw ParseError("usb-result operation " + op);
    r.op = *usb_op;
    r.syspath = arg(w, 3, "syspath");
    auto it = usb_requests_.find(r.vm + " " + op + " " + r.syspath);
    if (it == usb_requests_.end()) throw ParseError("usb-result for a request the engine never made");
    r.device = it->second;
    r.ok = arg(w, 4, "ok|failed") == "ok";
    if (!r.ok) r.error = rest(w, 5);
    return r;
}

void Runner::remember_usb(const Effect& effect) {
    if (const auto* a = std::get_if<AttachUsb>(&effect)) usb_requests_[a->vm + " attach " + a->syspath] = a->device;
    if (const auto* d = std::get_if<DetachUsb>(&effect)) usb_requests_[d->vm + " detach " + d->syspath] = d->device;
}

void Runner::load_config(const std::string& name) {
    auto load = load_config_file(config_dir_ + "/" + name);
    if (!load.config) {
        std::string all;
        for (const auto& e : load.errors) all += "\n  " + e.to_string();
        throw ParseError("config " + name + " does not load:" + all);
    }
    engine_ = std::make_unique<Engine>(*load.config);
}

void Runner::check_expected() {
    if (event_line_ == 0) return;
    if (actual_ != expected_) {
        std::string msg = "effects differ\n  expected:";
        for (const auto& e : expected_) msg += "\n    -> " + e;
        msg += "\n  actual:";
        for (const auto& a : actual_) msg += "\n    -> " + a;
        msg += "\n  engine log:";
        for (const auto& l : logs_) msg += "\n    " + l;
        fail(event_line_, msg);
    }
    event_line_ = 0;
    actual_.clear();
    expected_.clear();
    logs_.clear();
}

void Runner::feed(size_t line_no, std::int64_t t, const std::vector<std::string>& w) {
    if (t < now_) throw ParseError("time goes backwards");
    auto deadline = engine_->next_deadline_ms();
    bool is_tick = w.at(0) == "tick";
    if (deadline && *deadline < t && !is_tick)
        fail(line_no,
             "the engine's deadline at " + std::to_string(*deadline) + " passed without a tick line before this event");
    if (is_tick && (!deadline || *deadline > t))
        fail(line_no, "tick at " + std::to_string(t) + " but the engine's deadline is " +
                          (deadline ? std::to_string(*deadline) : std::string("none")));
    now_ = t;
    event_line_ = line_no;
    Effects effects;
    if (w[0] == "reload") {
        auto load = load_config_file(config_dir_ + "/" + arg(w, 1, "config file"));
        if (!load.config) throw ParseError("reload config " + w[1] + " does not load");
        effects = engine_->reload(std::move(*load.config));
    } else if (w[0] == "command") {
        Command c{arg(w, 1, "vm"), parse_action(arg(w, 2, "action")), w.size() > 3 ? rest(w, 3) : "dbus"};
        auto reply = engine_->command(c, at(t));
        actual_.push_back(render(reply));
        effects = std::move(reply.effects);
    } else if (w[0] == "postpone") {  // postpone VM SECONDS [ORIGIN]: VM.Postpone
        PostponeRequest p{arg(w, 1, "vm"), static_cast<std::uint32_t>(std::stoul(arg(w, 2, "seconds"))),
                          w.size() > 3 ? rest(w, 3) : "dbus"};
        auto reply = engine_->postpone(p, at(t));
        actual_.push_back(render(reply));
        effects = std::move(reply.effects);
    } else if (w[0] == "usb-result") {
        effects = engine_->handle(parse_usb_result(w), at(t));
    } else {
        effects = engine_->handle(parse_event(w), at(t));
    }
    for (const auto& e : effects) {
        remember_usb(e);
        auto line = effect_text(e, script_time);
        const Log* log = std::get_if<Log>(&e);
        bool aside = (log && (!show_logs_ || log->level == Log::Level::Debug)) ||
                     (!show_gpus_ &&
                      (std::holds_alternative<PublishGpus>(e) || std::holds_alternative<ReadReleaseRecord>(e)));
        (aside ? logs_ : actual_).push_back(line);
    }
}

void Runner::assertion(size_t line_no, const std::vector<std::string>& w) {
    const std::string& what = arg(w, 1, "assertion");
    if (what == "deadline") {
        auto d = engine_->next_deadline_ms();
        std::string got = d ? std::to_string(*d) : "none";
        if (got != arg(w, 2, "deadline")) fail(line_no, "deadline is " + got + ", expected " + w[2]);
    } else if (what == "vm") {
        const VmStatus* s = engine_->vm(arg(w, 2, "vm"));
        if (!s) return fail(line_no, "no VM " + w[2]);
        std::string got = std::string(to_string(s->state));
        if (got != arg(w, 3, "state")) fail(line_no, w[2] + " is " + got + ", expected " + w[3]);
        if (w.size() > 5 && w[4] == "since") {
            auto expect_us = at(std::stoll(w[5])).wall_us;
            if (s->state_changed_at_us != expect_us)
                fail(line_no, "StateChangedAt is " + std::to_string(s->state_changed_at_us) + ", expected " +
                                  std::to_string(expect_us));
        }
    } else if (what == "devices") {  // ? devices VM none|"usb 046d:c52b bus 1 dev 5",...
        const VmStatus* s = engine_->vm(arg(w, 2, "vm"));
        if (!s) return fail(line_no, "no VM " + w[2]);
        std::string got = s->devices.empty() ? "none" : joined_devices(s->devices);
        std::string want = rest(w, 3);
        if (got != want) fail(line_no, w[2] + " devices are " + got + ", expected " + want);
    } else if (what == "pending") {  // ? pending VM none|TIME: the PendingStop deadline, in script time
        const VmStatus* s = engine_->vm(arg(w, 2, "vm"));
        if (!s) return fail(line_no, "no VM " + w[2]);
        std::string got = s->pending_stop.deadline_us == 0 ? "none" : script_time(s->pending_stop.deadline_us);
        if (got != arg(w, 3, "time")) fail(line_no, w[2] + " has a stop pending at " + got + ", expected " + w[3]);
    } else if (what == "gpus") {  // ? gpus 0000:00:02.0=i915@arch-desktop,...
        std::string got = gpus_text(engine_->gpus());
        if (got != arg(w, 2, "gpus")) fail(line_no, "gpus are " + got + ", expected " + w[2]);
    } else if (what == "monitors") {
        std::string got;
        for (const auto& m : engine_->monitors()) got += (got.empty() ? "" : ",") + m.connector + "=" + m.status_text();
        if (got.empty()) got = "(none)";
        if (got != arg(w, 2, "monitors")) fail(line_no, "monitors are " + got + ", expected " + w[2]);
    } else if (what == "keyboard-watch") {  // ? keyboard-watch none|RULE KEY+KEY [device=G] [K=G]; ...
        // What the engine's start-up effects tell the input adapter to read, for this config.
        std::string got = "(no watch-keyboards effect)";
        for (const auto& e : engine_->initial_effects(at(now_)))
            if (auto* watch = std::get_if<WatchKeyboards>(&e)) got = describe(*watch);
        std::string want = rest(w, 2);
        if (got != want) fail(line_no, "keyboards are read for " + got + ", expected " + want);
    } else {
        throw ParseError("unknown assertion " + what);
    }
}

std::vector<std::string> Runner::run() {
    std::ifstream in(path_);
    if (!in) return {path_ + ": cannot read"};
    std::string raw;
    size_t line_no = 0;
    bool configured = false;
    try {
        while (std::getline(in, raw)) {
            ++line_no;
            std::string line = trim(raw);
            if (line.empty() || line[0] == '#') continue;
            if (line.rfind("->", 0) == 0) {
                if (event_line_ == 0) throw ParseError("an expected effect with no event above it");
                expected_.push_back(trim(line.substr(2)));
                continue;
            }
            check_expected();
            auto w = words(line);
            if (w[0] == "config") {
                if (configured) throw ParseError("config must come first, once");
                load_config(arg(w, 1, "config file"));
                configured = true;
                continue;
            }
            if (!configured) {
                load_config("default.toml");
                configured = true;
            }
            if (w[0] == "show" && arg(w, 1, "what") == "gpus") {
                show_gpus_ = true;
                continue;
            }
            if (w[0] == "show" && w[1] == "logs") {
                show_logs_ = true;
                continue;
            }
            if (w[0] == "?")
                assertion(line_no, w);
            else if (w[0] == "at")
                feed(line_no, std::stoll(arg(w, 1, "time")), {w.begin() + 2, w.end()});
            else
                throw ParseError("a line must start with 'at', '->', '?', 'config', 'show' or '#'");
        }
        check_expected();
    } catch (const std::exception& e) {
        failures_.push_back(path_ + ":" + std::to_string(line_no) + ": " + e.what());
    }
    if (line_no == 0) failures_.push_back(path_ + ": empty scenario");
    return failures_;
}

}  // namespace

std::string render(const CommandReply& reply) {
    std::string out = std::string("reply ") + outcome_word(reply.outcome);
    if (!reply.message.empty()) out += ": " + reply.message;
    return out;
}

std::vector<std::string> run_file(const std::string& path, const std::string& config_dir) {
    return Runner(path, config_dir).run();
}

}  // namespace hotseat::scenario
