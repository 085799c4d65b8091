// The input adapter (docs/design.md, "Architecture"): the keyboards hotkey rules need, read through libevdev on the
// daemon's sd-event loop and translated into KeyboardAdded / KeyEvent / KeyboardRemoved.
//
// What it reads is the engine's decision (WatchKeyboards, core/keyboard_watch.h): a keyboard is
// opened only while some hotkey rule may fire on it, and the kernel is asked for that rule's
// chord keys alone (EvdevKeyboard::read_only_keys). With no hotkey rule no keyboard is open.
// A new watch (a reload) closes, opens and re-masks keyboards at once (docs/robustness.md,
// "Keyboards").
//
// It has its own udev monitor (subsystem "input", filtered in the kernel) and reacts to:
//   add/change  of a device udevd marked ID_INPUT_KEYBOARD=1 with a /dev/input/eventN node
//               that the watch wants: open it (read-only, never grabbed) and emit KeyboardAdded;
//   remove      of a watched node: close it and emit KeyboardRemoved.
// A read that finds the device gone (ENODEV, or EOF/EIO with a hang-up) also closes it and
// emits KeyboardRemoved, quietly: unplugging is normal. A permission error on open (udevd or
// logind may still be setting the node's mode or ACL) is retried on a short timer and then
// given up, logged once, until the device's next add/change uevent. At most `max_keyboards`
// are watched at once. Nothing here blocks the loop; no failure of a device throws.
#pragma once

#include <systemd/sd-event.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hotseat/effects.h"
#include "hotseat/events.h"
#include "input/keyboard_scan.h"
#include "udev/udev_ptr.h"

namespace hotseat::input {

class EvdevKeyboard;

class KeyboardWatcher {
public:
    using Sink = std::function<void(hotseat::Event)>;

    struct Options {
        // Delays between the attempts to open a node that refused us (EACCES/EPERM).
        std::vector<std::chrono::milliseconds> permission_retries{
            std::chrono::milliseconds(100), std::chrono::milliseconds(250), std::chrono::milliseconds(500),
            std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)};
        std::size_t max_keyboards = 32;  // open or waiting for permission
    };

    // `loop` must outlive the watcher. `sink` receives every event synchronously from start()
    // and from the loop's callbacks; it must not throw and must not destroy the watcher.
    KeyboardWatcher(sd_event* loop, Sink sink);
    KeyboardWatcher(sd_event* loop, Sink sink, Options options);
    ~KeyboardWatcher();  // closes every keyboard; emits nothing
    KeyboardWatcher(const KeyboardWatcher&) = delete;
    KeyboardWatcher& operator=(const KeyboardWatcher&) = delete;

    // Subscribes to input uevents first, then opens every keyboard present now that the watch
    // wants, so nothing that changes during the scan is lost. Throws std::system_error when
    // libudev or sd-event refuse the monitor itself, std::logic_error when called twice. A
    // failing scan is logged.
    void start();

    // Which keyboards to open and which keys to read (the engine's WatchKeyboards). Before
    // start() it only sets what start() opens; after, every keyboard present is looked at again.
    // Until the first call nothing is opened.
    void watch(WatchKeyboards watch);

    // The nodes open now, sorted (for tests and diagnostics).
    std::vector<std::string> watched() const;

private:
    // One keyboard node: open, or waiting for a permission retry.
    struct Entry {
        KeyboardWatcher* owner = nullptr;
        InputDevice device;
        std::unique_ptr<EvdevKeyboard> keyboard;
        std::vector<std::uint16_t> keys;  // what the watch lets us read on it (never empty)
        util::EventSource io;
        util::EventSource retry;
        std::size_t refused = 0;        // permission errors so far
        std::size_t read_failures = 0;  // read errors in a row
        bool warned_read = false;       // a read error has been logged for this keyboard
    };

    void process_uevents();
    void rescan();
    void consider(InputDevice device);
    void admit(InputDevice device, std::vector<std::uint16_t> keys);
    void restrict_keys(Entry& entry);
    void try_open(Entry& entry);
    void on_refused(Entry& entry, int error);
    void on_opened(Entry& entry, std::unique_ptr<EvdevKeyboard> keyboard);
    void read_keys(Entry& entry, uint32_t revents);
    void drop(const std::string& node);
    void note_dropped_properties(const InputDevice& device);

    static int on_monitor(sd_event_source*, int fd, uint32_t revents, void* self);
    static int on_keyboard(sd_event_source*, int fd, uint32_t revents, void* entry);
    static int on_retry(sd_event_source*, uint64_t usec, void* entry);

    sd_event* loop_;
    Sink sink_;
    Options options_;
    udev::UdevPtr udev_;
    udev::MonitorPtr monitor_;
    util::EventSource monitor_source_;
    std::map<std::string, std::unique_ptr<Entry>> entries_;  // by node; pointers stay put for sd-event
    WatchKeyboards watch_;
    bool warned_limit_ = false;
    bool warned_properties_ = false;
    bool told_mask_ = false;  // whether the kernel masks events has been logged
};

}  // namespace hotseat::input
