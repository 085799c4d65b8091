// One opened evdev node read through libevdev. Opened read-only and never grabbed: the host's
// console, a display server or anyone else reading the keyboard keeps seeing every key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct libevdev;

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

    int fd() const { return fd_; }
    std::string name() const;  // the kernel's device name made printable (device_name.h)

    // Appends the EV_KEY events waiting on the fd to `keys`, reading at most `budget` events.
    // After a SYN_DROPPED (the kernel's buffer overflowed) libevdev compares its key state with
    // the kernel's: keys that went up meanwhile arrive here as releases (value 0), keys that went
    // down as presses, so a chord never sticks half-held.
    ReadResult read(std::vector<KeyChange>& keys, std::size_t budget);

private:
    EvdevKeyboard(int fd, libevdev* device) : fd_(fd), device_(device) {}
    std::size_t replay_sync(std::vector<KeyChange>& keys);

    int fd_ = -1;
    libevdev* device_ = nullptr;
};

}  // namespace hotseat::input
