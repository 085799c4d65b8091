#include "input/evdev_keyboard.h"

#include <fcntl.h>
#include <libevdev/libevdev.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>

#include "input/device_name.h"
#include "log.h"

namespace hotseat::input {
namespace {

__attribute__((format(printf, 7, 0))) void log_from_libevdev(const libevdev* device, libevdev_log_priority,
                                                             void*, const char*, int, const char*,
                                                             const char* format, va_list args) {
    char message[512];
    std::vsnprintf(message, sizeof message, format, args);
    const char* name = device ? libevdev_get_name(device) : nullptr;
    log::debug("input: libevdev (", name ? name : "?", "): ", message);
}

int open_read_only(const std::string& node) {
    int fd;
    do {
        fd = ::open(node.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

void append_key(std::vector<KeyChange>& keys, const input_event& event) {
    if (event.type == EV_KEY) keys.push_back(KeyChange{event.code, event.value});
}

}  // namespace

EvdevKeyboard::Opened EvdevKeyboard::open(const std::string& node) {
    int fd = open_read_only(node);
    if (fd < 0) return {nullptr, errno, "open"};
    libevdev* device = libevdev_new();
    if (!device) {
        ::close(fd);
        return {nullptr, ENOMEM, "libevdev_new"};
    }
    libevdev_set_device_log_function(device, log_from_libevdev, LIBEVDEV_LOG_INFO, nullptr);
    int r = libevdev_set_fd(device, fd);
    if (r < 0) {
        libevdev_free(device);
        ::close(fd);
        return {nullptr, -r, "libevdev_set_fd"};
    }
    return {std::unique_ptr<EvdevKeyboard>(new EvdevKeyboard(fd, device)), 0, ""};
}

EvdevKeyboard::~EvdevKeyboard() {
    libevdev_free(device_);
    ::close(fd_);
}

std::string EvdevKeyboard::name() const {
    const char* raw = libevdev_get_name(device_);
    return printable_name(raw ? raw : "");
}

EvdevKeyboard::ReadResult EvdevKeyboard::read(std::vector<KeyChange>& keys, std::size_t budget) {
    std::size_t seen = 0;
    while (seen < budget) {
        input_event event{};
        int r = libevdev_next_event(device_, LIBEVDEV_READ_FLAG_NORMAL, &event);
        if (r == LIBEVDEV_READ_STATUS_SUCCESS) {
            append_key(keys, event);
            ++seen;
        } else if (r == LIBEVDEV_READ_STATUS_SYNC) {
            seen += 1 + replay_sync(keys);
        } else if (r == -EAGAIN) {
            return {ReadStatus::Drained, 0};
        } else if (r == -EINTR) {
            continue;
        } else if (r == -ENODEV || r == -EIO) {
            return {ReadStatus::Gone, -r};
        } else {
            return {ReadStatus::Failed, -r};
        }
    }
    return {ReadStatus::MoreWaiting, 0};
}

// libevdev hands out the difference between its state and the kernel's one event at a time
// until -EAGAIN; all of it must be taken before normal reading goes on, or it is lost.
std::size_t EvdevKeyboard::replay_sync(std::vector<KeyChange>& keys) {
    std::size_t replayed = 0;
    input_event event{};
    while (libevdev_next_event(device_, LIBEVDEV_READ_FLAG_SYNC, &event) == LIBEVDEV_READ_STATUS_SYNC) {
        append_key(keys, event);
        ++replayed;
    }
    return replayed;
}

}  // namespace hotseat::input
