// One opened evdev node read through libevdev. Opened read-only and never grabbed: the host's
// console, a display server or anyone else reading the keyboard keeps seeing every key. Once
// opened, the kernel is asked to pass this reader the chord keys alone (EVIOCSMASK), and read()
// drops anything else, so that hotseatd never holds what someone types (docs/robustness.md,
// "Keyboards").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/handles.h"

struct input_event;

namespace hotseat::input {

struct KeyChange {
    std::uint16_t code = 0;
    std::int32_t value = 0;  // 0 released, 1 pressed, 2 autorepeat
};

class EvdevKeyboard {
public:
    struct Opened {
        std::unique_ptr<EvdevKeyboard> keyboard;  // null on failure
        int error = 0;                            // errno value on failure
        const char* step = "";                    // "open" or "libevdev_set_fd"
    };

    enum class ReadStatus {
        Drained,      // nothing more waiting now
        MoreWaiting,  // stopped at the budget: call again (the fd stays readable)
        Gone,         // the device went away (ENODEV from the kernel, EIO/EOF from a hung-up tty)
        Failed,       // another read error; `error` says which
    };
    struct ReadResult {
        ReadStatus status = ReadStatus::Drained;
        int error = 0;
    };

    // O_RDONLY | O_NONBLOCK | O_CLOEXEC, then libevdev reads the device's capabilities. Never
    // blocks. libevdev's own messages go to the debug log.
    static Opened open(const std::string& node);

    ~EvdevKeyboard();
    EvdevKeyboard(const EvdevKeyboard&) = delete;
    EvdevKeyboard& operator=(const EvdevKeyboard&) = delete;

    int fd() const { return fd_.get(); }

    // Asks the kernel (EVIOCSMASK, Linux 4.4 and later) to deliver to this fd only EV_KEY events
    // of `keys` (and EV_SYN, which cannot be masked): no other key, no scan codes (EV_MSC), no
    // LEDs. Returns 0, or the errno of a kernel without it (EINVAL, ENOTTY). Either way read()
    // hands out `keys` alone from now on.
    int read_only_keys(const std::vector<std::uint16_t>& keys);
    std::string name() const;  // the kernel's device name made printable (device_name.h)

    // Appends the EV_KEY events of the keys asked for (read_only_keys; all until then) waiting on
    // the fd to `keys`, reading at most `budget` events.
    // After a SYN_DROPPED (the kernel's buffer overflowed) libevdev compares its key state with
    // the kernel's: keys that went up meanwhile arrive here as releases (value 0), keys that went
    // down as presses, so a chord never sticks half-held.
    ReadResult read(std::vector<KeyChange>& keys, std::size_t budget);

private:
    EvdevKeyboard(util::UniqueFd fd, util::Evdev device) : fd_(std::move(fd)), device_(std::move(device)) {}
    std::size_t replay_sync(std::vector<KeyChange>& keys);

    void append_key(std::vector<KeyChange>& keys, const ::input_event& event) const;

    util::UniqueFd fd_;
    util::Evdev device_;  // after fd_: freed before the fd it reads is closed
    bool restricted_ = false;
    std::vector<std::uint16_t> allowed_;  // sorted; only while restricted_
};

}  // namespace hotseat::input
