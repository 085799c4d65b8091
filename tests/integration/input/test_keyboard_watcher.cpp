// The input adapter against umockdev: a testbed in this process plays the kernel and udevd
// (uevents, evdev nodes as ptys with generated ioctl answers); the real KeyboardWatcher runs on
// a real sd-event loop. Runs under LD_PRELOAD=libumockdev-preload.so.0 (set by CTest).
#include <linux/input.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/keyboard_watch.h"
#include "hotseat/engine.h"
#include "input/keyboard_watcher.h"
#include "input_test_util.h"
#include "log.h"
#include "testbed.h"

namespace hotseat::input {
namespace {

using namespace std::chrono_literals;
using hotseat::test::Testbed;
using test::EventLoop;
using test::Key;
using test::Recorder;

const std::string kEvent7 = "/dev/input/event7";
const std::string kEvent8 = "/dev/input/event8";

std::string property(const KeyboardAdded& k, const std::string& name) {
    auto it = k.properties.find(name);
    return it == k.properties.end() ? "" : it->second;
}

// Debug lines on while it lives.
struct VerboseLog {
    VerboseLog() { log::set_verbose(true); }
    ~VerboseLog() { log::set_verbose(false); }
};

// One hotkey rule for every keyboard, with the keys these tests type.
WatchKeyboards any_keyboard(std::vector<std::uint16_t> keys = {KEY_A, KEY_B, KEY_LEFTCTRL, KEY_LEFTALT, KEY_F12}) {
    return WatchKeyboards{{KeyboardWatch{"test", {}, "", std::move(keys)}}};
}

class KeyboardWatcherTest : public ::testing::Test {
protected:
    void start(KeyboardWatcher::Options options = {}) {
        watcher = std::make_unique<KeyboardWatcher>(loop.get(), seen.sink(), std::move(options));
        watcher->watch(watch);
        watcher->start();
    }

    bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
        return loop.run_until(done, timeout);
    }

    bool wait_added(const std::string& node) {
        return wait([&] { return seen.added(node); });
    }

    // Presses (value 1) or releases (0) keys one write at a time and waits until the adapter has
    // delivered them all.
    void type(int number, const std::vector<std::pair<std::uint16_t, std::int32_t>>& keys) {
        std::size_t before = seen.count<KeyEvent>();
        for (const auto& [code, value] : keys) bed.press_key(number, code, value);
        ASSERT_TRUE(wait([&] { return seen.count<KeyEvent>() >= before + keys.size(); }))
            << "got " << seen.count<KeyEvent>() - before << " of " << keys.size() << " key events";
    }

    // Uevents arrive in order: one more keyboard, once reported, means every uevent sent before
    // has been handled. The marker's own events are taken out again.
    void settle() {
        int number = next_marker_++;
        bed.add_keyboard(number, "marker");
        std::string node = Testbed::input_node(number);
        ASSERT_TRUE(wait_added(node));
        std::erase_if(seen.events, [&](const Event& e) {
            auto* added = std::get_if<KeyboardAdded>(&e);
            return added && added->node == node;
        });
    }

    Testbed bed;  // first: the watcher's socket is redirected only once $UMOCKDEV_DIR is set
    EventLoop loop;
    Recorder seen;
    WatchKeyboards watch = any_keyboard();     // what start() tells the watcher to read
    std::unique_ptr<KeyboardWatcher> watcher;  // last: goes before the loop

private:
    int next_marker_ = 900;
};

TEST_F(KeyboardWatcherTest, KeyboardPresentAtStartIsAdded) {
    bed.add_keyboard(7, "Logitech USB Receiver", {{"ID_VENDOR_ID", "046d"}, {"ID_MODEL_ID", "c52b"}});
    start();
    // Reported from start() itself, before the loop has run.
    auto added = seen.all<KeyboardAdded>();
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].node, kEvent7);
    EXPECT_EQ(added[0].name, "Logitech USB Receiver");
    EXPECT_EQ(property(added[0], "ID_INPUT_KEYBOARD"), "1");
    EXPECT_EQ(property(added[0], "ID_VENDOR_ID"), "046d");
    EXPECT_EQ(property(added[0], "ID_MODEL_ID"), "c52b");
    EXPECT_EQ(seen.events.size(), 1u);  // the node-less input7 parent is not a keyboard
    EXPECT_EQ(watcher->watched(), std::vector<std::string>{kEvent7});
}

TEST_F(KeyboardWatcherTest, PluggedKeyboardIsAddedAndRead) {
    start();
    EXPECT_TRUE(seen.events.empty());
    bed.add_keyboard(7, "USB Keyboard");
    ASSERT_TRUE(wait_added(kEvent7));
    EXPECT_EQ(seen.all<KeyboardAdded>()[0].name, "USB Keyboard");
    type(7, {{KEY_A, 1}, {KEY_A, 0}});
    EXPECT_EQ(seen.keys(), (std::vector<Key>{{kEvent7, KEY_A, 1}, {kEvent7, KEY_A, 0}}));
}

TEST_F(KeyboardWatcherTest, ChordArrivesInOrder) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}, {KEY_F12, 1}, {KEY_F12, 0}, {KEY_LEFTALT, 0}, {KEY_LEFTCTRL, 0}});
    EXPECT_EQ(seen.keys(), (std::vector<Key>{{kEvent7, KEY_LEFTCTRL, 1},
                                             {kEvent7, KEY_LEFTALT, 1},
                                             {kEvent7, KEY_F12, 1},
                                             {kEvent7, KEY_F12, 0},
                                             {kEvent7, KEY_LEFTALT, 0},
                                             {kEvent7, KEY_LEFTCTRL, 0}}));
}

TEST_F(KeyboardWatcherTest, AutorepeatIsDeliveredAsSuch) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    type(7, {{KEY_B, 1}, {KEY_B, 2}, {KEY_B, 2}, {KEY_B, 2}, {KEY_B, 0}});
    std::vector<std::int32_t> values;
    for (const auto& k : seen.keys()) values.push_back(k.value);
    EXPECT_EQ(values, (std::vector<std::int32_t>{1, 2, 2, 2, 0}));
}

TEST_F(KeyboardWatcherTest, TwoKeyboardsAreToldApart) {
    bed.add_keyboard(7, "Left");
    start();
    bed.add_keyboard(8, "Right");
    ASSERT_TRUE(wait_added(kEvent8));
    type(7, {{KEY_LEFTCTRL, 1}});
    type(8, {{KEY_F12, 1}});
    type(7, {{KEY_LEFTCTRL, 0}});
    EXPECT_EQ(seen.keys(),
              (std::vector<Key>{{kEvent7, KEY_LEFTCTRL, 1}, {kEvent8, KEY_F12, 1}, {kEvent7, KEY_LEFTCTRL, 0}}));
    EXPECT_EQ(watcher->watched(), (std::vector<std::string>{kEvent7, kEvent8}));
}

TEST_F(KeyboardWatcherTest, UnplugMidChordThenReplug) {
    bed.add_keyboard(7, "USB Keyboard", {{"ID_SERIAL", "kbd_1"}});
    start();
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}});
    bed.remove_keyboard(7);
    ASSERT_TRUE(wait([&] { return seen.removed(kEvent7); }));
    EXPECT_TRUE(watcher->watched().empty());

    // The kernel hands the replugged keyboard a new input device (here also a new node number:
    // umockdev cannot reuse one).
    bed.add_keyboard(8, "USB Keyboard", {{"ID_SERIAL", "kbd_1"}});
    ASSERT_TRUE(wait_added(kEvent8));
    type(8, {{KEY_F12, 1}});
    EXPECT_EQ(seen.keys().back(), (Key{kEvent8, KEY_F12, 1}));
    EXPECT_EQ(seen.count<KeyboardRemoved>(), 1u);
}

TEST_F(KeyboardWatcherTest, MiceAndOtherInputDevicesAreIgnored) {
    bed.add_mouse(5, "USB Optical Mouse");
    start();
    bed.add_mouse(6, "Another Mouse");
    settle();
    EXPECT_TRUE(seen.events.empty());
    EXPECT_EQ(watcher->watched(), std::vector<std::string>{"/dev/input/event900"});
}

TEST_F(KeyboardWatcherTest, DeviceVanishingMidReadIsReportedQuietly) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    type(7, {{KEY_LEFTCTRL, 1}});
    test::StderrCapture log;
    bed.hang_up_input_device(7);
    ASSERT_TRUE(wait([&] { return seen.removed(kEvent7); }));
    EXPECT_TRUE(watcher->watched().empty());
    // Its `remove` uevent comes afterwards: nothing more to report.
    bed.remove_keyboard(7);
    settle();
    EXPECT_EQ(seen.count<KeyboardRemoved>(), 1u);
    EXPECT_EQ(log.count("warning"), 0u) << log.text();
    EXPECT_EQ(log.count("error"), 0u) << log.text();
}

TEST_F(KeyboardWatcherTest, KeysReleasedDuringSynDroppedAreReportedReleased) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}});
    // The kernel's buffer overflowed: the releases were lost, and the kernel's key state (the
    // EVIOCGKEY answer) says nothing is held any more.
    bed.write_input_events(7, {{EV_SYN, SYN_DROPPED, 0}});
    ASSERT_TRUE(wait([&] { return seen.count<KeyEvent>() >= 4; }));
    auto keys = seen.keys();
    std::vector<Key> resync(keys.begin() + 2, keys.end());
    std::sort(resync.begin(), resync.end(), [](const Key& a, const Key& b) { return a.code < b.code; });
    EXPECT_EQ(resync, (std::vector<Key>{{kEvent7, KEY_LEFTCTRL, 0}, {kEvent7, KEY_LEFTALT, 0}}));
    // Reading goes on normally afterwards.
    type(7, {{KEY_F12, 1}});
    EXPECT_EQ(seen.keys().back(), (Key{kEvent7, KEY_F12, 1}));
}

TEST_F(KeyboardWatcherTest, NameThatIsNotUtf8IsMadePrintable) {
    bed.add_keyboard(7, "Cheap\xff\xfe Keyboard\x01");
    start();
    ASSERT_EQ(seen.count<KeyboardAdded>(), 1u);
    EXPECT_EQ(seen.all<KeyboardAdded>()[0].name, "Cheap?? Keyboard?");
}

TEST_F(KeyboardWatcherTest, AtMost32KeyboardsAreWatched) {
    for (int n = 0; n < 33; ++n) bed.add_keyboard(n, "Keyboard " + std::to_string(n));
    test::StderrCapture log;
    start();
    EXPECT_EQ(seen.count<KeyboardAdded>(), 32u);
    EXPECT_EQ(watcher->watched().size(), 32u);
    EXPECT_EQ(log.count("already watching 32 keyboards"), 1u) << log.text();
    // A watched one goes; the limit no longer holds back a new one.
    std::string first = watcher->watched().front();
    int number = std::stoi(first.substr(std::string("/dev/input/event").size()));
    bed.remove_keyboard(number);
    ASSERT_TRUE(wait([&] { return seen.removed(first); }));
    bed.add_keyboard(40, "Keyboard 40");
    ASSERT_TRUE(wait_added("/dev/input/event40"));
    EXPECT_EQ(watcher->watched().size(), 32u);
}

TEST_F(KeyboardWatcherTest, PermissionDeniedIsRetriedUntilUdevFixesTheMode) {
    VerboseLog verbose;
    test::StderrCapture log;
    test::WithoutDacOverride unprivileged;
    bed.add_keyboard(7, "USB Keyboard");
    bed.set_input_node_mode(7, 0);  // as before udevd applied its rules
    start();
    EXPECT_EQ(seen.count<KeyboardAdded>(), 0u);
    // The first retry (after 100 ms) is refused too; the next one comes 250 ms later.
    ASSERT_TRUE(wait([&] { return log.count("trying again in 250 ms") == 1; })) << log.text();
    bed.set_input_node_mode(7, 0660);
    ASSERT_TRUE(wait_added(kEvent7)) << log.text();
    type(7, {{KEY_A, 1}});
    EXPECT_EQ(log.count("warning"), 0u) << log.text();
}

TEST_F(KeyboardWatcherTest, PermissionDeniedIsLoggedOnceThenWaitsForTheNextUevent) {
    test::StderrCapture log;
    test::WithoutDacOverride unprivileged;
    std::string syspath = bed.add_keyboard(7, "USB Keyboard");
    bed.set_input_node_mode(7, 0);
    KeyboardWatcher::Options options;
    options.permission_retries = {10ms, 20ms, 40ms};
    start(options);
    ASSERT_TRUE(wait([&] { return log.count("cannot open keyboard /dev/input/event7") == 1; })) << log.text();
    EXPECT_NE(log.text().find("Permission denied (4 attempts)"), std::string::npos) << log.text();
    loop.run_for(200ms);  // no more timers, no more attempts
    EXPECT_EQ(log.count("warning"), 1u) << log.text();
    EXPECT_EQ(seen.count<KeyboardAdded>(), 0u);

    bed.set_input_node_mode(7, 0660);
    bed.uevent(syspath, "change");  // udevd re-applied its rules
    ASSERT_TRUE(wait_added(kEvent7)) << log.text();
}

// ---- What is read (issue #19 item 5, docs/robustness.md "Keyboards") ----

bool has_mask(const std::vector<Testbed::EvdevMask>& masks, const std::string& node) {
    return std::any_of(masks.begin(), masks.end(), [&](const auto& m) { return m.node == node; });
}

// The last mask of `type` a reader of `node` asked for: its codes.
std::vector<unsigned> last_mask(const Testbed& bed, const std::string& node, unsigned type) {
    std::vector<unsigned> codes{9999};
    for (const auto& m : bed.evdev_masks())
        if (m.node == node && m.type == type) codes = m.codes();
    return codes;
}

TEST_F(KeyboardWatcherTest, NoHotkeyRuleMeansNoKeyboardIsOpened) {
    watch = {};
    bed.add_keyboard(7, "USB Keyboard");
    bed.add_keyboard(8, "Another Keyboard");
    start();  // the keyboards present are looked at within start()
    EXPECT_TRUE(seen.events.empty());
    EXPECT_TRUE(watcher->watched().empty());
    EXPECT_TRUE(bed.evdev_masks().empty());
    // The same watcher opens both once a rule exists: they were seen, and left closed.
    watcher->watch(any_keyboard());
    EXPECT_EQ(watcher->watched(), (std::vector<std::string>{kEvent7, kEvent8}));
    EXPECT_EQ(seen.count<KeyboardAdded>(), 2u);
}

TEST_F(KeyboardWatcherTest, OnlyKeyboardsARuleMayFireOnAreOpened) {
    watch = WatchKeyboards{{KeyboardWatch{"logitech", {{"ID_VENDOR_ID", "046d"}}, "", {KEY_F12}},
                            KeyboardWatch{"by-id", {}, "usb-Cherry*-kbd", {KEY_F11}}}};
    bed.add_keyboard(3, "AT Translated Set 2 keyboard", {{"ID_BUS", "i8042"}});
    bed.add_keyboard(7, "Logitech USB Receiver", {{"ID_VENDOR_ID", "046d"}});
    bed.add_keyboard(8, "Cherry", {{"DEVLINKS", "/dev/input/by-id/usb-Cherry_Keyboard-event-kbd"}});
    start();
    EXPECT_EQ(watcher->watched(), (std::vector<std::string>{kEvent7, kEvent8}));
    EXPECT_FALSE(has_mask(bed.evdev_masks(), "/dev/input/event3"));
    EXPECT_EQ(last_mask(bed, kEvent7, EV_KEY), (std::vector<unsigned>{KEY_F12}));
    EXPECT_EQ(last_mask(bed, kEvent8, EV_KEY), (std::vector<unsigned>{KEY_F11}));
}

TEST_F(KeyboardWatcherTest, TheKernelIsAskedForTheChordKeysAlone) {
    watch = any_keyboard({KEY_LEFTCTRL, KEY_LEFTALT, KEY_F12});
    bed.add_keyboard(7, "USB Keyboard");
    start();
    auto masks = bed.evdev_masks();
    ASSERT_EQ(masks.size(), 2u);
    // The keys first, then the event types: no moment in which every key of EV_KEY passes.
    EXPECT_EQ(masks[0].node, kEvent7);
    EXPECT_EQ(masks[0].type, unsigned{EV_KEY});
    EXPECT_EQ(masks[0].bits.size(), (KEY_CNT + 63) / 64 * 8u);
    EXPECT_EQ(masks[0].codes(), (std::vector<unsigned>{KEY_LEFTCTRL, KEY_LEFTALT, KEY_F12}));
    EXPECT_EQ(masks[1].type, unsigned{EV_SYN});                    // slot 0: the mask of event types
    EXPECT_EQ(masks[1].codes(), (std::vector<unsigned>{EV_KEY}));  // no EV_MSC scan codes, no LEDs
}

TEST_F(KeyboardWatcherTest, KeysOutsideTheChordNeverLeaveTheAdapter) {
    // umockdev does not filter like the kernel: what the pty delivers shows the adapter's own filter.
    watch = any_keyboard({KEY_F12});
    bed.add_keyboard(7, "USB Keyboard");
    start();
    bed.write_input_events(7, {{EV_MSC, MSC_SCAN, 0x70004}, {EV_KEY, KEY_A, 1}, {EV_SYN, SYN_REPORT, 0}});
    bed.write_input_events(7, {{EV_KEY, KEY_A, 0}, {EV_SYN, SYN_REPORT, 0}});
    type(7, {{KEY_F12, 1}});
    EXPECT_EQ(seen.keys(), (std::vector<Key>{{kEvent7, KEY_F12, 1}}));
}

TEST_F(KeyboardWatcherTest, AKernelWithoutEventMasksStillYieldsTheChordKeysAlone) {
    test::StderrCapture log;
    bed.refuse_evdev_masks(true);  // as Linux before 4.4: EINVAL
    watch = any_keyboard({KEY_F12});
    bed.add_keyboard(7, "USB Keyboard");
    bed.add_keyboard(8, "Second Keyboard");
    start();
    // KEY_A comes first on the same fd: once F12 is there, KEY_A has been read, and dropped.
    bed.press_key(7, KEY_A, 1);
    bed.press_key(7, KEY_A, 0);
    type(7, {{KEY_F12, 1}});
    EXPECT_EQ(seen.keys(), (std::vector<Key>{{kEvent7, KEY_F12, 1}}));
    EXPECT_EQ(log.count("cannot mask a reader's events"), 1u) << log.text();  // said once, not per keyboard
}

TEST_F(KeyboardWatcherTest, ANewWatchClosesOpensAndMasksAgain) {
    watch = any_keyboard({KEY_F12});
    bed.add_keyboard(7, "Logitech USB Receiver", {{"ID_VENDOR_ID", "046d"}});
    bed.add_keyboard(8, "Other");
    start();
    EXPECT_EQ(watcher->watched(), (std::vector<std::string>{kEvent7, kEvent8}));
    // A reload: one rule, for the Logitech keyboard alone, another chord.
    watcher->watch(WatchKeyboards{{KeyboardWatch{"logitech", {{"ID_VENDOR_ID", "046d"}}, "", {KEY_F11}}}});
    EXPECT_EQ(watcher->watched(), std::vector<std::string>{kEvent7});
    EXPECT_TRUE(seen.removed(kEvent8));
    EXPECT_EQ(last_mask(bed, kEvent7, EV_KEY), (std::vector<unsigned>{KEY_F11}));
    EXPECT_EQ(seen.count<KeyboardAdded>(), 2u);  // event7 stayed open: no second KeyboardAdded
    // No hotkey rule left: nothing stays open.
    watcher->watch({});
    EXPECT_TRUE(watcher->watched().empty());
    EXPECT_TRUE(seen.removed(kEvent7));
}

// Adapter and engine in one process: the keys typed on the emulated keyboard fire the rule.
class HotkeyEndToEnd : public KeyboardWatcherTest {
protected:
    HotkeyEndToEnd() {
        auto load = load_config_string(
            "[[vm]]\nname = \"arch-desktop\"\n"
            "[[rule]]\nname = \"desk-hotkey\"\non = \"hotkey\"\n"
            "keys = [\"KEY_LEFTCTRL\", \"KEY_LEFTALT\", \"KEY_F12\"]\naction = \"start\"\nvm = \"arch-desktop\"\n",
            "hotkey.toml");
        if (!load.config) throw std::runtime_error("bad test config");
        engine = std::make_unique<Engine>(std::move(*load.config));
        for (const auto& effect : engine->initial_effects(now()))
            if (auto* w = std::get_if<WatchKeyboards>(&effect)) watch = *w;
        engine->handle(LibvirtConnection{true, ""}, now());
        engine->handle(DomainSnapshot{"arch-desktop", true, DomainRunState::Off}, now());
        seen.also = [this](const Event& e) {
            for (auto& effect : engine->handle(e, now())) effects.push_back(std::move(effect));
        };
    }

    Now now() const {
        auto mono = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
        return Now{mono.count(), 0};
    }

    std::vector<std::string> fired() const {
        std::vector<std::string> rules;
        for (const auto& e : effects)
            if (auto* f = std::get_if<RuleFired>(&e)) rules.push_back(f->rule);
        return rules;
    }
    std::size_t starts() const {
        return std::count_if(effects.begin(), effects.end(),
                             [](const Effect& e) { return std::holds_alternative<StartDomain>(e); });
    }

    std::unique_ptr<Engine> engine;
    Effects effects;
};

TEST_F(HotkeyEndToEnd, ChordTypedOnTheKeyboardFiresTheRule) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    ASSERT_EQ(engine->keyboards().size(), 1u);
    EXPECT_EQ(engine->keyboards()[0].node, kEvent7);
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}});
    EXPECT_TRUE(fired().empty());
    type(7, {{KEY_F12, 1}});
    EXPECT_EQ(fired(), std::vector<std::string>{"desk-hotkey"});
    EXPECT_EQ(starts(), 1u);
}

TEST_F(HotkeyEndToEnd, ChordSplitOverTwoKeyboardsDoesNotFire) {
    bed.add_keyboard(7, "Left");
    bed.add_keyboard(8, "Right");
    start();
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}});
    type(8, {{KEY_F12, 1}});
    EXPECT_TRUE(fired().empty());
}

TEST_F(HotkeyEndToEnd, UnplugMidChordForgetsTheHeldKeys) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}});
    bed.remove_keyboard(7);
    ASSERT_TRUE(wait([&] { return engine->keyboards().empty(); }));
    bed.add_keyboard(8, "USB Keyboard");
    ASSERT_TRUE(wait_added(kEvent8));
    type(8, {{KEY_F12, 1}});
    EXPECT_TRUE(fired().empty());  // Ctrl+Alt were held on a keyboard that is gone
    type(8, {{KEY_F12, 0}, {KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}, {KEY_F12, 1}});
    EXPECT_EQ(fired(), std::vector<std::string>{"desk-hotkey"});
}

TEST_F(HotkeyEndToEnd, SynDroppedReleasesSoAStaleChordNeverFires) {
    bed.add_keyboard(7, "USB Keyboard");
    start();
    type(7, {{KEY_LEFTCTRL, 1}, {KEY_LEFTALT, 1}});
    bed.write_input_events(7, {{EV_SYN, SYN_DROPPED, 0}});
    ASSERT_TRUE(wait([&] { return seen.count<KeyEvent>() >= 4; }));
    type(7, {{KEY_F12, 1}});
    EXPECT_TRUE(fired().empty());
}

}  // namespace
}  // namespace hotseat::input
