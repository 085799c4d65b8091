// One wrong thing per config: exactly one error, at the exact line:column, saying what is wrong.
// Positions point at the offending value, at the key for unknown keys, and at the table
// ([[vm]] header or inline table) for missing keys.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hotseat {
namespace {

using test::describe;
using test::load_text;

struct ErrorCase {
    std::string name;
    std::string toml;
    std::uint32_t line;
    std::uint32_t column;
    std::vector<std::string> words;  // each must appear in the message
};

std::ostream& operator<<(std::ostream& out, const ErrorCase& c) { return out << c.name; }

// Prepended where a case needs a defined VM; it takes lines 1-2.
const std::string kVm = "[[vm]]\nname = \"arch-desktop\"\n";

// A data table: one case per entry, laid out by hand.
// clang-format off
const ErrorCase kCases[] = {
    {"UnknownRuleKeySuggestsTheRightOne",
     kVm + "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\n"
           "conector = \"HDMI-A-1\"\naction = \"start\"\nvm = \"arch-desktop\"\n",
     6, 1, {"rule \"desk-monitor\": unknown key \"conector\" in [[rule]] (did you mean \"connector\"?)"}},
    {"UndefinedVmListsTheDefinedOnes",
     kVm + "[[rule]]\nname = \"desk-monitor\"\non = \"monitor.connected\"\naction = \"start\"\n"
           "vm        = \"arch\"\n",
     7, 13, {"rule \"desk-monitor\": vm \"arch\" is not defined (defined: arch-desktop)"}},
    {"UndefinedVmWithoutAnyVm",
     "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"start\"\nvm = \"x\"\n",
     5, 6, {"vm \"x\" is not defined", "no [[vm]] is defined"}},
    {"ShutdownTimeoutZero", "[[vm]]\nname = \"a\"\nshutdown_timeout_s = 0\n",
     3, 22, {"vm \"a\": shutdown_timeout_s must be between 1 and 3600, got 0"}},
    {"IdleTimeoutNegative", "[[vm]]\nname = \"a\"\nidle_timeout_min = -1\n",
     3, 20, {"idle_timeout_min must be between 0 and 1440, got -1"}},
    {"IdleCpuPercentAbove100", "[[vm]]\nname = \"a\"\nidle_cpu_percent = 101\n",
     3, 20, {"idle_cpu_percent must be between 0 and 100, got 101"}},
    {"DebounceAsString", "[supervisor]\ndebounce_ms = \"1500\"\n",
     2, 15, {"debounce_ms must be an integer, got string"}},
    {"DebounceAsFloat", "[supervisor]\ndebounce_ms = 1.5\n",
     2, 15, {"debounce_ms must be an integer, got float"}},
    {"DebounceTooLarge", "[supervisor]\ndebounce_ms = 600001\n",
     2, 15, {"debounce_ms must be between 0 and 600000, got 600001"}},
    {"UnknownSupervisorKeySuggests", "[supervisor]\ndebounce_msec = 5\n",
     2, 1, {"unknown key \"debounce_msec\" in [supervisor]", "did you mean \"debounce_ms\""}},
    {"UnknownVmKeyMissingItsUnit", "[[vm]]\nname = \"a\"\nidle_timeout = 30\n",
     // Two keys now extend it (idle_timeout_min, idle_timeout_s); the nearer by edit distance wins.
     3, 1, {"unknown key \"idle_timeout\" in [[vm]] (did you mean \"idle_timeout_s\"?)"}},
    {"ControlGroupInvalid", "[supervisor]\ncontrol_group = \"1wheel\"\n",
     2, 17, {"control_group \"1wheel\" is not a valid group name"}},
    {"LibvirtUriEmpty", "[supervisor]\nlibvirt_uri = \"\"\n",
     2, 15, {"libvirt_uri must not be empty"}},
    {"LibvirtUriWithoutScheme", "[supervisor]\nlibvirt_uri = \"system\"\n",
     2, 15, {"libvirt_uri \"system\" is not a libvirt URI"}},
    {"SupervisorNotATable", "[[supervisor]]\ndebounce_ms = 5\n",
     1, 1, {"supervisor must be a table ([supervisor]), got array"}},
    {"UnknownTopLevelTable", "[supervisr]\ndebounce_ms = 5\n",
     1, 2, {"unknown key \"supervisr\" at the top level", "did you mean \"supervisor\""}},
    {"UnknownTopLevelArrayOfTables", kVm + "[[rules]]\nname = \"x\"\n",
     3, 3, {"unknown key \"rules\" at the top level", "did you mean \"rule\""}},
    {"VmIsAPlainTable", "[vm]\nname = \"a\"\n",
     1, 1, {"vm must be an array of tables ([[vm]]), got table"}},
    {"VmWithoutName", "\n[[vm]]\ngpu = [\"0000:00:02.0\"]\n",
     2, 1, {"vm #1: missing required key \"name\" in [[vm]]"}},
    {"VmNameWithSpace", "[[vm]]\nname = \"arch desktop\"\n",
     2, 8, {"name \"arch desktop\" is not a valid VM name"}},
    {"VmNameEmpty", "[[vm]]\nname = \"\"\n", 2, 8, {"name \"\" is not a valid VM name"}},
    {"VmDefinedTwice", "[[vm]]\nname = \"a\"\n[[vm]]\nname = \"a\"\n",
     4, 8, {"vm \"a\" is defined twice"}},
    {"UnknownVmSubTable", kVm + "[vm.hugepages]\ncount = 3\n",
     3, 5, {"vm \"arch-desktop\": unknown key \"hugepages\" in [[vm]]"}},
    {"GpuNotAPciAddress", "[[vm]]\nname = \"a\"\ngpu = [\"0000:00:02.0\", \"00:02.0\"]\n",
     3, 24, {"gpu[1] \"00:02.0\" is not a PCI address like \"0000:00:02.0\""}},
    {"GpuFunctionOutOfRange", "[[vm]]\nname = \"a\"\ngpu = [\"0000:00:02.8\"]\n",
     3, 8, {"gpu[0] \"0000:00:02.8\" is not a PCI address"}},
    {"GpuListedTwiceAfterNormalising", "[[vm]]\nname = \"a\"\ngpu = [\"0000:00:0A.0\", \"0000:00:0a.0\"]\n",
     3, 24, {"gpu \"0000:00:0a.0\" is listed twice"}},
    {"GpuNotAnArray", "[[vm]]\nname = \"a\"\ngpu = \"0000:00:02.0\"\n",
     3, 7, {"gpu must be an array, got string"}},
    {"UsbVendorThreeDigits", "[[vm]]\nname = \"a\"\nusb = [{ vendor = \"46d\", product = \"c52b\" }]\n",
     3, 19, {"usb[0]: vendor \"46d\" must be 4 hex digits like \"046d\""}},
    {"UsbProductMissing", "[[vm]]\nname = \"a\"\nusb = [{ vendor = \"046d\" }]\n",
     3, 8, {"vm \"a\": usb[0]: missing required key \"product\" in usb entry"}},
    {"UsbEntryNotATable", "[[vm]]\nname = \"a\"\nusb = [\"046d:c52b\"]\n",
     3, 8, {"usb[0] must be a table like { vendor = \"046d\", product = \"c52b\" }, got string"}},
    {"UsbListedTwice",
     "[[vm]]\nname = \"a\"\nusb = [{ vendor = \"046d\", product = \"c52b\" },\n"
     "       { vendor = \"046D\", product = \"C52B\" }]\n",
     4, 8, {"usb device 046d:c52b is listed twice"}},
    {"TriggerUnknownSuggests",
     kVm + "[[rule]]\nname = \"r\"\non = \"monitor.connect\"\naction = \"start\"\nvm = \"arch-desktop\"\n",
     5, 6, {"on \"monitor.connect\" is not a trigger (one of monitor.connected, monitor.disconnected,",
            "vm.stopped)", "did you mean \"monitor.connected\""}},
    {"StopModeUnknown", kVm + "stop_mode = \"suspend\"\n",
     3, 13, {"vm \"arch-desktop\": stop_mode \"suspend\" must be \"shutdown\" or \"hibernate\""}},
    {"HibernateTimeoutOutOfRange", kVm + "hibernate_timeout_s = 0\n",
     3, 23, {"vm \"arch-desktop\": hibernate_timeout_s must be between 1 and 3600, got 0"}},
    {"ActionUnknownSuggests",
     kVm + "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"restart\"\nvm = \"arch-desktop\"\n",
     6, 10, {"action \"restart\" is not an action (one of start, stop, toggle, force-stop, hibernate)",
             "did you mean \"start\""}},
    {"RuleWithoutVm", kVm + "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"start\"\n",
     3, 1, {"rule \"r\": missing required key \"vm\" in [[rule]]"}},
    {"RuleWithoutName", kVm + "[[rule]]\non = \"vm.stopped\"\naction = \"start\"\nvm = \"arch-desktop\"\n",
     3, 1, {"rule #1: missing required key \"name\" in [[rule]]"}},
    {"RuleNameInvalid",
     kVm + "[[rule]]\nname = \"desk+monitor\"\non = \"vm.stopped\"\naction = \"start\"\nvm = \"arch-desktop\"\n",
     4, 8, {"name \"desk+monitor\" is not a valid rule name"}},
    {"RuleDefinedTwice",
     kVm + "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"start\"\nvm = \"arch-desktop\"\n"
           "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"stop\"\nvm = \"arch-desktop\"\n",
     9, 8, {"rule \"r\" is defined twice"}},
    {"ConnectorWithHotkey",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = [\"KEY_F12\"]\nconnector = \"HDMI-A-1\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     7, 13, {"connector is only allowed with on = \"monitor.connected\" or \"monitor.disconnected\"",
             "not on = \"hotkey\""}},
    {"HotkeyWithoutKeys",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\naction = \"toggle\"\nvm = \"arch-desktop\"\n",
     3, 1, {"rule \"r\": on = \"hotkey\" needs keys = [...]"}},
    {"KeysWithMonitorTrigger",
     kVm + "[[rule]]\nname = \"r\"\non = \"monitor.connected\"\nkeys = [\"KEY_F12\"]\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 8, {"keys is only allowed with on = \"hotkey\", not on = \"monitor.connected\""}},
    {"KeyNameMisspelt",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = [\"KEY_LEFTCRTL\", \"KEY_F12\"]\n"
           "action = \"toggle\"\nvm = \"arch-desktop\"\n",
     6, 9, {"keys[0] \"KEY_LEFTCRTL\" is not an evdev key name", "did you mean \"KEY_LEFTCTRL\""}},
    {"KeyNameNotAKey",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = [\"KEY_F12\", \"REL_X\"]\n"
           "action = \"toggle\"\nvm = \"arch-desktop\"\n",
     6, 20, {"keys[1] \"REL_X\" is not an evdev key name"}},
    {"KeysEmpty",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = []\naction = \"toggle\"\nvm = \"arch-desktop\"\n",
     6, 8, {"keys must list 1 to 8 keys, got 0"}},
    {"KeysNine",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\n"
           "keys = [\"KEY_A\", \"KEY_B\", \"KEY_C\", \"KEY_D\", \"KEY_E\", \"KEY_F\", \"KEY_G\", \"KEY_H\", \"KEY_I\"]\n"
           "action = \"toggle\"\nvm = \"arch-desktop\"\n",
     6, 8, {"keys must list 1 to 8 keys, got 9"}},
    {"KeyListedTwice",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = [\"KEY_F12\", \"KEY_F12\"]\n"
           "action = \"toggle\"\nvm = \"arch-desktop\"\n",
     6, 20, {"key \"KEY_F12\" is listed twice"}},
    {"HotkeyDeviceWithAPath",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = [\"KEY_F12\"]\n"
           "device = \"/dev/input/event7\"\naction = \"toggle\"\nvm = \"arch-desktop\"\n",
     7, 10, {"device \"/dev/input/event7\" is not a name in /dev/input/by-id"}},
    {"HotkeyDeviceEmpty",
     kVm + "[[rule]]\nname = \"r\"\non = \"hotkey\"\nkeys = [\"KEY_F12\"]\n"
           "device = \"\"\naction = \"toggle\"\nvm = \"arch-desktop\"\n",
     7, 10, {"device \"\" is not a name in /dev/input/by-id"}},
    {"DeviceWithMonitorTrigger",
     kVm + "[[rule]]\nname = \"r\"\non = \"monitor.connected\"\ndevice = \"usb-*\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 10, {"device is only allowed with on = \"hotkey\", not on = \"monitor.connected\""}},
    {"DeviceTriggerWithoutMatch",
     kVm + "[[rule]]\nname = \"r\"\non = \"device.removed\"\naction = \"stop\"\nvm = \"arch-desktop\"\n",
     3, 1, {"on = \"device.removed\" needs match = { ... }"}},
    {"MatchWithMonitorTrigger",
     kVm + "[[rule]]\nname = \"r\"\non = \"monitor.connected\"\nmatch = { ID_VENDOR_ID = \"046d\" }\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 9, {"match is only allowed with on = \"device.added\", \"device.removed\", \"hotkey\" or \"vm.stopped\""}},
    {"MatchUnknownKeyForVmStopped",
     kVm + "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\nmatch = { VMNAME = \"x\" }\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 11, {"match key \"VMNAME\" is not known for on = \"vm.stopped\" (known: VM, CAUSE, REASON)"}},
    {"MatchPropertyLowercase",
     kVm + "[[rule]]\nname = \"r\"\non = \"device.added\"\nmatch = { id_vendor_id = \"046d\" }\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 11, {"match key \"id_vendor_id\" is not a udev property name"}},
    {"MatchEmpty",
     kVm + "[[rule]]\nname = \"r\"\non = \"device.added\"\nmatch = {}\naction = \"start\"\nvm = \"arch-desktop\"\n",
     6, 9, {"match must name 1 to 32 udev properties, got 0"}},
    {"MatchValueNotAString",
     kVm + "[[rule]]\nname = \"r\"\non = \"device.added\"\nmatch = { BUSNUM = 1 }\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 20, {"match.BUSNUM must be a string, got integer"}},
    {"TakeoverNotABoolean",
     kVm + "[[rule]]\nname = \"r\"\non = \"vm.stopped\"\naction = \"start\"\nvm = \"arch-desktop\"\n"
           "takeover = \"yes\"\n",
     8, 12, {"takeover must be a boolean, got string"}},
    {"ConnectorWithControlCharacter",
     kVm + "[[rule]]\nname = \"r\"\non = \"monitor.connected\"\nconnector = \"HDMI\\tA\"\n"
           "action = \"start\"\nvm = \"arch-desktop\"\n",
     6, 13, {"connector must not contain control characters"}},
    {"UnknownKeyIsShownEscaped", "[[vm]]\nname = \"a\"\n\"evil\\nkey\" = 1\n",
     3, 1, {"unknown key \"evil\\x0akey\" in [[vm]]"}},
    {"StringTooLong", "[[vm]]\nname = \"" + std::string(300, 'a') + "\"\n",
     2, 8, {"name is 300 bytes long; strings are limited to 256 bytes"}},
    // Syntax errors carry toml++'s own positions: where it noticed the problem.
    {"SyntaxErrorHasItsPosition", kVm + "[[rule]]\nname = = \"r\"\n",
     4, 8, {"syntax error in value: could not determine value type"}},
    {"SyntaxErrorUnterminatedArray", "[[vm]]\nname = \"a\"\ngpu = [\"0000:00:02.0\"\n",
     3, 23, {"syntax error in array: encountered end-of-file"}},
    {"SyntaxErrorDuplicateKey", "[[vm]]\nname = \"a\"\nname = \"b\"\n",
     3, 8, {"syntax error in key-value pair: cannot redefine existing string 'name'"}},
};
// clang-format on

class ErrorCases : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorCases, ReportsOneErrorAtThePlace) {
    const ErrorCase& c = GetParam();
    auto load = load_text(c.toml);
    EXPECT_FALSE(load.config.has_value());
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    const ConfigError& error = load.errors[0];
    EXPECT_EQ(error.file, "hotseat.toml");
    EXPECT_EQ(error.line, c.line) << error.to_string();
    EXPECT_EQ(error.column, c.column) << error.to_string();
    for (const auto& word : c.words)
        EXPECT_NE(error.message.find(word), std::string::npos)
            << "missing \"" << word << "\" in: " << error.to_string();
}

INSTANTIATE_TEST_SUITE_P(Config, ErrorCases, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace hotseat
