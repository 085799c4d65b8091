#include "input/evdev_keyboard.h"

#include <fcntl.h>
#include <libevdev/libevdev.h>
#include <linux/input.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>

#include "input/device_name.h"
#include "input/keyboard_filter.h"
#include "log.h"

namespace hotseat::input {
namespace {

__attribute__((format(printf, 7, 0))) void log_from_libevdev(const libevdev* device, libevdev_log_priority, void*,
                                                             const char*, int, const char*, const char* format,
                                                             va_list args) {
    char message[512];
    std::vsnprintf(message, sizeof message, format, args);
    const char* name = device ? libevdev_get_name(device) : nullptr;
    log::debug("input: libevdev (", name ? name : "?", "): ", message);
}

util::UniqueFd open_read_only(const std::string& node) {
    int fd;
    do {
        fd = ::open(node.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    return util::UniqueFd(fd);
}

// libevdev has no wrapper for EVIOCSMASK. The kernel keeps one mask per reader (per open fd).
int set_mask(int fd, unsigned type, const std::vector<unsigned char>& bits) {
    input_mask mask{};
    mask.type = type;
    mask.codes_size = static_cast<__u32>(bits.size());
    mask.codes_ptr = reinterpret_cast<std::uintptr_t>(bits.data());
    return ::ioctl(fd, EVIOCSMASK, &mask) == 0 ? 0 : errno;
}

}  // namespace

EvdevKeyboard::Opened EvdevKeyboard::open(const std::string& node) {
    util::UniqueFd fd = open_read_only(node);
    if (!fd) return {nullptr, errno, "open"};
    util::Evdev device(libevdev_new());
    if (!device) return {nullptr, ENOMEM, "libevdev_new"};
    libevdev_set_device_log_function(device.get(), log_from_libevdev, LIBEVDEV_LOG_INFO, nullptr);
    int r = libevdev_set_fd(device.get(), fd.get());
    if (r < 0) return {nullptr, -r, "libevdev_set_fd"};
    return {std::unique_ptr<EvdevKeyboard>(new EvdevKeyboard(std::move(fd), std::move(device))), 0, ""};
}

int EvdevKeyboard::read_only_keys(const std::vector<std::uint16_t>& keys) {
    allowed_ = keys;
    std::sort(allowed_.begin(), allowed_.end());
    restricted_ = true;
    std::vector<std::uint16_t> codes;
    for (auto key : allowed_)
        if (key < KEY_CNT) codes.push_back(key);
    // Keys first, then the types: no moment in which every key of an allowed type gets through.
    // Type mask slot 0 (EV_SYN's) is the mask of event types.
    if (int error = set_mask(fd_.get(), EV_KEY, code_bitmap(codes, KEY_CNT)); error != 0) return error;
    return set_mask(fd_.get(), EV_SYN, code_bitmap({EV_KEY}, EV_CNT));
}

void EvdevKeyboard::append_key(std::vector<KeyChange>& keys, const ::input_event& event) const {
    if (event.type != EV_KEY) return;
    if (restricted_ && !std::binary_search(allowed_.begin(), allowed_.end(), event.code)) return;
    keys.push_back(KeyChange{event.code, event.value});
}

EvdevKeyboard::~EvdevKeyboard() = default;

std::string EvdevKeyboard::name() const {
    const char* raw = libevdev_get_name(device_.get());
    return printable_name(raw ? raw : "");
}

EvdevKeyboard::ReadResult EvdevKeyboard::read(std::vector<KeyChange>& keys, std::size_t budget) {
    std::size_t seen = 0;
    while (seen < budget) {
        input_event event{};
        int r = libevdev_next_event(device_.get(), LIBEVDEV_READ_FLAG_NORMAL, &event);
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
    while (libevdev_next_event(device_.get(), LIBEVDEV_READ_FLAG_SYNC, &event) == LIBEVDEV_READ_STATUS_SYNC) {
        append_key(keys, event);
        ++replayed;
    }
    return replayed;
}

}  // namespace hotseat::input
