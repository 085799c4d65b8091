#include "input/keyboard_watcher.h"

#include <poll.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>
#include <system_error>

#include "core/keyboard_watch.h"
#include "input/evdev_keyboard.h"
#include "log.h"
#include "udev/property_limits.h"

namespace hotseat::input {
namespace {

// Input uevents are rare (a plug brings a handful), but a misbehaving hub can flap; a few MiB
// keeps a burst from overflowing the socket while the loop is busy elsewhere.
constexpr int kReceiveBufferBytes = 4 * 1024 * 1024;

// Work done per wakeup before the loop gets a turn; the fds are level-triggered, so whatever is
// left makes the loop call again.
constexpr int kMaxUeventsPerWakeup = 256;
constexpr std::size_t kMaxEventsPerWakeup = 512;

// Read errors in a row before a keyboard that keeps failing is given up (no busy loop).
constexpr std::size_t kMaxReadFailures = 64;

bool readable_now(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

bool is_permission_error(int error) { return error == EACCES || error == EPERM; }

bool vanished(int error) { return error == ENOENT || error == ENODEV || error == ENXIO; }

std::uint64_t to_usec(std::chrono::milliseconds delay) {
    return static_cast<std::uint64_t>(delay.count() > 0 ? delay.count() : 0) * 1000;
}

}  // namespace

KeyboardWatcher::KeyboardWatcher(sd_event* loop, Sink sink) : KeyboardWatcher(loop, std::move(sink), Options{}) {}

KeyboardWatcher::KeyboardWatcher(sd_event* loop, Sink sink, Options options)
    : loop_(loop), sink_(std::move(sink)), options_(std::move(options)) {}

KeyboardWatcher::~KeyboardWatcher() = default;

void KeyboardWatcher::start() {
    if (monitor_) throw std::logic_error("KeyboardWatcher::start called twice");
    errno = 0;
    udev::UdevPtr udev(udev_new());
    if (!udev) throw std::system_error(errno ? errno : ENOMEM, std::generic_category(), "udev_new");
    udev::MonitorPtr monitor(udev_monitor_new_from_netlink(udev.get(), "udev"));
    if (!monitor)
        throw std::system_error(errno ? errno : EINVAL, std::generic_category(), "udev_monitor_new_from_netlink");
    // Filtered by subsystem in the kernel; tags are not used (umockdev sets no tag bloom bits).
    util::check(udev_monitor_filter_add_match_subsystem_devtype(monitor.get(), "input", nullptr),
                "udev_monitor_filter_add_match_subsystem_devtype");
    util::check(udev_monitor_enable_receiving(monitor.get()), "udev_monitor_enable_receiving");
    int r = udev_monitor_set_receive_buffer_size(monitor.get(), kReceiveBufferBytes);
    if (r < 0) log::debug("input: cannot enlarge the uevent receive buffer: ", std::strerror(-r));
    util::EventSource source;
    util::check(
        sd_event_add_io(loop_, util::out_ptr(source), udev_monitor_get_fd(monitor.get()), EPOLLIN, on_monitor, this),
        "sd_event_add_io");
    udev_ = std::move(udev);
    monitor_ = std::move(monitor);
    monitor_source_ = std::move(source);
    try {
        for (auto& device : scan_keyboards(udev_.get())) consider(std::move(device));
    } catch (const std::system_error& e) {
        log::warning("input: cannot list the keyboards present now (", e.what(),
                     "); keyboards plugged in from now on are still watched");
    }
}

void KeyboardWatcher::watch(WatchKeyboards watch) {
    watch_ = std::move(watch);
    if (monitor_) rescan();
}

std::vector<std::string> KeyboardWatcher::watched() const {
    std::vector<std::string> nodes;
    for (const auto& [node, entry] : entries_)
        if (entry->keyboard) nodes.push_back(node);
    return nodes;
}

void KeyboardWatcher::process_uevents() {
    bool overflowed = false;
    for (int i = 0; i < kMaxUeventsPerWakeup; ++i) {
        errno = 0;
        udev::DevicePtr device(udev_monitor_receive_device(monitor_.get()));
        if (device) {
            consider(describe(device.get()));
            continue;
        }
        if (errno == ENOBUFS) {
            overflowed = true;
            continue;
        }
        // EAGAIN: empty, or libudev dropped a message it does not trust; go on while data waits.
        if (errno != EINTR && !readable_now(udev_monitor_get_fd(monitor_.get()))) break;
    }
    if (overflowed) {
        log::warning("input: uevent receive buffer overflowed; re-reading the keyboards");
        rescan();
    }
}

// After lost uevents: whatever is watched but no longer there went away unseen.
void KeyboardWatcher::rescan() {
    std::vector<InputDevice> present;
    try {
        present = scan_keyboards(udev_.get());
    } catch (const std::system_error& e) {
        log::warning("input: cannot re-read the keyboards: ", e.what());
        return;
    }
    std::set<std::string> nodes;
    for (const auto& device : present) nodes.insert(device.devnode);
    std::vector<std::string> gone;
    for (const auto& [node, entry] : entries_)
        if (!nodes.count(node)) gone.push_back(node);
    for (const auto& node : gone) drop(node);
    for (auto& device : present) {
        device.action = "change";
        consider(std::move(device));
    }
}

void KeyboardWatcher::consider(InputDevice device) {
    const std::string node = device.devnode;
    if (node.empty()) return;  // the inputN parent devices
    if (device.action == "remove") {
        drop(node);
        return;
    }
    if (!device.action.empty() && device.action != "add" && device.action != "change") return;
    auto it = entries_.find(node);
    if (!device.keyboard()) {
        if (it != entries_.end()) {
            log::info("input: ", node, " is no longer marked as a keyboard; not watched any more");
            drop(node);
        }
        return;
    }
    auto keys = keys_to_read(watch_, device.properties);
    if (keys.empty()) {
        // No hotkey rule may fire on it: it stays closed (docs/robustness.md, "Keyboards").
        if (it != entries_.end()) {
            log::info("input: no hotkey rule reads ", node, " any more; closed");
            drop(node);
        }
        return;
    }
    if (it == entries_.end()) {
        admit(std::move(device), std::move(keys));
        return;
    }
    Entry& entry = *it->second;
    if (entry.device.syspath != device.syspath) {
        // The node number was given to a new device while the old one's `remove` was lost.
        drop(node);
        admit(std::move(device), std::move(keys));
    } else if (!entry.keyboard) {
        // Waiting for permission: a uevent is the hint that udevd changed something.
        entry.device = std::move(device);
        entry.keys = std::move(keys);
        entry.retry.reset();
        try_open(entry);
    } else {
        if (entry.keys != keys) {
            entry.keys = std::move(keys);
            restrict_keys(entry);
        }
        if (entry.device.properties != device.properties) {
            entry.device = std::move(device);
            sink_(KeyboardAdded{node, entry.keyboard->name(), entry.device.properties});
        }
    }
}

void KeyboardWatcher::admit(InputDevice device, std::vector<std::uint16_t> keys) {
    if (entries_.size() >= options_.max_keyboards) {
        if (!warned_limit_)
            log::warning("input: already watching ", options_.max_keyboards, " keyboards; ", device.devnode,
                         " and any further ones are ignored until one goes away");
        else
            log::debug("input: keyboard limit reached; ignoring ", device.devnode);
        warned_limit_ = true;
        return;
    }
    note_dropped_properties(device);
    auto entry = std::make_unique<Entry>();
    entry->owner = this;
    entry->device = std::move(device);
    entry->keys = std::move(keys);
    Entry& placed = *entry;
    entries_[placed.device.devnode] = std::move(entry);
    try_open(placed);
}

// The kernel's mask where it has one; read() filters the same keys either way.
void KeyboardWatcher::restrict_keys(Entry& entry) {
    int error = entry.keyboard->read_only_keys(entry.keys);
    if (error == 0) {
        if (!told_mask_) log::debug("input: the kernel passes hotseatd the chord keys alone (EVIOCSMASK)");
    } else if (!told_mask_) {
        log::info("input: this kernel cannot mask a reader's events (EVIOCSMASK: ", std::strerror(error),
                  "); every key of ", entry.device.devnode,
                  " reaches hotseatd, which keeps the chord keys alone and drops the rest at once");
    } else {
        log::debug("input: EVIOCSMASK on ", entry.device.devnode, ": ", std::strerror(error));
    }
    told_mask_ = true;
}

// May erase `entry`: callers must not touch it afterwards.
void KeyboardWatcher::try_open(Entry& entry) {
    auto opened = EvdevKeyboard::open(entry.device.devnode);
    if (opened.keyboard) {
        on_opened(entry, std::move(opened.keyboard));
        return;
    }
    if (is_permission_error(opened.error)) {
        on_refused(entry, opened.error);
        return;
    }
    const std::string node = entry.device.devnode;
    if (vanished(opened.error))
        log::debug("input: ", node, " went away before it could be opened");
    else
        log::warning("input: cannot read keyboard ", node, ": ", opened.step, ": ", std::strerror(opened.error),
                     "; ignored until its next uevent");
    drop(node);
}

void KeyboardWatcher::on_refused(Entry& entry, int error) {
    const std::string node = entry.device.devnode;
    if (entry.refused < options_.permission_retries.size()) {
        auto delay = options_.permission_retries[entry.refused++];
        std::uint64_t usec = to_usec(delay);
        util::EventSource timer;
        int r = sd_event_add_time_relative(loop_, util::out_ptr(timer), CLOCK_MONOTONIC, usec, usec / 10 + 1, on_retry,
                                           &entry);
        if (r >= 0) {
            entry.retry = std::move(timer);
            log::debug("input: ", node, ": ", std::strerror(error), "; trying again in ", delay.count(), " ms");
            return;
        }
        log::warning("input: cannot open keyboard ", node, ": ", std::strerror(error),
                     ", and cannot arm a timer to try again (", std::strerror(-r), ")");
    } else {
        log::warning("input: cannot open keyboard ", node, ": ", std::strerror(error), " (", entry.refused + 1,
                     " attempts); its hotkeys are ignored until its next add/change uevent");
    }
    drop(node);
}

void KeyboardWatcher::on_opened(Entry& entry, std::unique_ptr<EvdevKeyboard> keyboard) {
    const std::string node = entry.device.devnode;
    util::EventSource io;
    int r = sd_event_add_io(loop_, util::out_ptr(io), keyboard->fd(), EPOLLIN, on_keyboard, &entry);
    if (r < 0) {
        log::warning("input: cannot watch keyboard ", node, ": ", std::strerror(-r));
        drop(node);
        return;
    }
    entry.keyboard = std::move(keyboard);
    entry.io = std::move(io);
    entry.retry.reset();
    restrict_keys(entry);
    std::string name = entry.keyboard->name();
    log::debug("input: reading keyboard ", node, " (", name, ")");
    sink_(KeyboardAdded{node, std::move(name), entry.device.properties});
}

void KeyboardWatcher::read_keys(Entry& entry, uint32_t revents) {
    std::vector<KeyChange> keys;
    auto result = entry.keyboard->read(keys, kMaxEventsPerWakeup);
    entry.read_failures = result.status == EvdevKeyboard::ReadStatus::Failed ? entry.read_failures + 1 : 0;
    const std::string node = entry.device.devnode;
    const bool hung_up = revents & (EPOLLHUP | EPOLLERR);
    bool give_up = false;
    switch (result.status) {
        case EvdevKeyboard::ReadStatus::MoreWaiting: break;
        case EvdevKeyboard::ReadStatus::Drained:
            give_up = hung_up;  // EOF: nothing will ever come again
            break;
        case EvdevKeyboard::ReadStatus::Gone: give_up = true; break;
        case EvdevKeyboard::ReadStatus::Failed:
            if (!entry.warned_read)
                log::warning("input: reading keyboard ", node, " failed: ", std::strerror(result.error));
            entry.warned_read = true;
            give_up = hung_up || entry.read_failures >= kMaxReadFailures;
            break;
    }
    // From here on `entry` may be gone: the sink runs, then drop() erases it.
    for (const auto& key : keys) sink_(KeyEvent{node, key.code, key.value});
    if (!give_up) return;
    log::debug("input: keyboard ", node, " went away");
    drop(node);
}

void KeyboardWatcher::drop(const std::string& node) {
    auto it = entries_.find(node);
    if (it == entries_.end()) return;
    bool was_open = it->second->keyboard != nullptr;
    entries_.erase(it);
    if (entries_.size() < options_.max_keyboards) warned_limit_ = false;
    if (was_open) sink_(KeyboardRemoved{node});
}

void KeyboardWatcher::note_dropped_properties(const InputDevice& device) {
    if (device.dropped == 0) return;
    if (warned_properties_) {
        log::debug("input: dropped ", device.dropped, " udev properties of ", device.devnode);
        return;
    }
    warned_properties_ = true;
    log::warning("input: dropped ", device.dropped, " udev properties of ", device.devnode,
                 " (limits: ", udev::kMaxProperties, " properties, ", udev::kMaxPropertyBytes,
                 " bytes each); further drops are logged at debug level");
}

int KeyboardWatcher::on_monitor(sd_event_source*, int, uint32_t, void* self) {
    static_cast<KeyboardWatcher*>(self)->process_uevents();
    return 0;
}

int KeyboardWatcher::on_keyboard(sd_event_source*, int, uint32_t revents, void* entry) {
    auto* e = static_cast<Entry*>(entry);
    e->owner->read_keys(*e, revents);
    return 0;
}

int KeyboardWatcher::on_retry(sd_event_source*, uint64_t, void* entry) {
    auto* e = static_cast<Entry*>(entry);
    e->retry.reset();  // this very source; sd-event frees it once the callback returns
    e->owner->try_open(*e);
    return 0;
}

}  // namespace hotseat::input
