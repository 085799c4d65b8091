// Fuzz target: a uevent as it comes off netlink → the udev adapter's decision (classify_uevent,
// under the same property limits the daemon applies) → the engine event the daemon would make
// of it → rule matching (monitor connector globs, device property globs) in a real Engine.
//
// Input: the uevent payload, NUL-separated "KEY=VALUE" entries as the kernel sends them (an
// "action@devpath" header without '=' is skipped, as libudev does). A KEY of FUZZ_CONNECTED
// chooses the connector status the re-read would find; FUZZ_GLOB is also matched as a pattern
// against every value, for fnmatch(3) with hostile patterns.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/rules.h"
#include "hotseat/config.h"
#include "hotseat/engine.h"
#include "udev/property_limits.h"
#include "udev/uevent_rules.h"

// scripts/fuzz gives inputs up to the largest uevent libudev delivers (fuzz/CMakeLists.txt).
static_assert(HOTSEAT_FUZZ_MAX_LEN == hotseat::udev::kMaxUeventBytes);

namespace {

constexpr const char* kConfig = R"(
[supervisor]
debounce_ms = 0
[[vm]]
name = "desk"
usb = [{ vendor = "046d", product = "c52b" }, { vendor = "1234", product = "abcd", serial = "S*" }]
[[rule]]
name = "hdmi"
on = "monitor.connected"
connector = "HDMI-*"
action = "start"
vm = "desk"
[[rule]]
name = "any-unplug"
on = "monitor.disconnected"
action = "stop"
vm = "desk"
[[rule]]
name = "receiver"
on = "device.added"
match = { ID_VENDOR_ID = "046d", ID_MODEL_ID = "c5[0-9][!a]*" }
action = "toggle"
vm = "desk"
[[rule]]
name = "gone"
on = "device.removed"
match = { SUBSYSTEM = "usb" }
action = "stop"
vm = "desk"
)";

// Parsed once; every input gets a fresh engine from it, so that an input's outcome never depends
// on the ones before (and the engine's tables do not grow over millions of inputs).
const hotseat::Config& config() {
    static const hotseat::Config parsed = [] {
        auto load = hotseat::load_config_string(kConfig, "fuzz-uevent.toml");
        if (!load.config) std::abort();
        return std::move(*load.config);
    }();
    return parsed;
}

hotseat::udev::Properties parse_payload(std::string_view payload) {
    hotseat::udev::PropertyCollector collector;
    while (!payload.empty()) {
        auto end = payload.find('\0');
        std::string_view entry = payload.substr(0, end);
        payload = end == std::string_view::npos ? std::string_view() : payload.substr(end + 1);
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        collector.add(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return collector.take();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotseat;
    auto properties = parse_payload(std::string_view(reinterpret_cast<const char*>(data), size));
    auto decision = udev::classify_uevent(properties);
    Engine engine(config());
    Now now{1000, 0};
    // The connector known and in the opposite state first, so that the uevent is a change.
    engine.handle(ConnectorStatus{decision.card, decision.connector.empty() ? "HDMI-A-1" : decision.connector,
                                  properties.count("FUZZ_CONNECTED") == 0, true},
                  now);
    now.mono_ms += 1000;
    bool connected = properties.count("FUZZ_CONNECTED") != 0;
    switch (decision.step) {
        case udev::UeventStep::Ignore:
            if (!decision.why || !*decision.why) std::abort();  // every ignored uevent says why
            break;
        case udev::UeventStep::RereadCard:
        case udev::UeventStep::RereadConnector:
            if (decision.card.empty()) std::abort();
            engine.handle(ConnectorStatus{decision.card, decision.connector.empty() ? "HDMI-A-1" : decision.connector,
                                          connected, false},
                          now);
            break;
        case udev::UeventStep::DropConnector:
            engine.handle(ConnectorRemoved{decision.card, decision.connector}, now);
            break;
        case udev::UeventStep::UsbAdded:
        case udev::UeventStep::UsbRemoved: {
            DeviceEvent ev;
            ev.kind = decision.step == udev::UeventStep::UsbAdded ? DeviceEvent::Kind::Added
                                                                  : DeviceEvent::Kind::Removed;
            ev.syspath = "/sys" + properties["DEVPATH"];
            ev.properties = properties;
            engine.handle(ev, now);
            break;
        }
        case udev::UeventStep::UsbBound:
        case udev::UeventStep::UsbUnbound:
            engine.handle(UsbDeviceBinding{decision.step == udev::UeventStep::UsbBound, "/sys" + properties["DEVPATH"],
                                           properties},
                          now);
            break;
    }
    // Whatever the engine asked for (a start, a stop) completes, so that the next input finds
    // the VM in a settled state and every transition stays reachable.
    engine.handle(DomainOpResult{"desk", DomainOp::Start, connected, "fuzz"}, now);
    if (auto glob = properties.find("FUZZ_GLOB"); glob != properties.end())
        for (const auto& [name, value] : properties) glob_match(glob->second, value);
    return 0;
}
