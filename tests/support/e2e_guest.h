// The tiny real guest of the end-to-end tests (built by scripts/build-e2e-guest): a Debian cloud
// kernel and a busybox initramfs booted directly by QEMU under TCG, no disk, no network, its
// serial console written to a file. Its /init prints kGuestReady once it listens to the ACPI
// power button, and powers off when it is pressed (unless told to ignore it).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace hotseat::test {

inline constexpr const char* kGuestReady = "HOTSEAT-GUEST-READY";
inline constexpr const char* kGuestAcpiPoweroff = "HOTSEAT-GUEST-ACPI-POWEROFF";
// Printed instead of waiting forever when /init's own set-up did not work (no power button, or
// acpid not holding it when the ready marker goes out): a test that sees it cannot trust ACPI.
inline constexpr const char* kGuestWarning = "HOTSEAT-GUEST-WARNING";
inline constexpr const char* kGuestSelfPoweroff = "HOTSEAT-GUEST-SELF-POWEROFF";

// $HOTSEAT_E2E_CACHE, or /var/cache/hotseat-e2e (absolute).
std::string guest_cache_dir();
// guest_cache_dir()/libvirt-cache: a LibvirtSandbox cache_dir, so QEMU is probed once, not per
// sandbox.
std::string guest_libvirt_cache_dir();

struct GuestImage {
    std::string kernel;     // absolute path of vmlinuz
    std::string initramfs;  // absolute path of initramfs.img

    // The images in guest_cache_dir(); throws std::runtime_error saying to run scripts/setup
    // (which runs scripts/build-e2e-guest) when they are missing.
    static GuestImage find();
};

struct GuestOptions {
    std::string name = "e2e-guest";
    std::string serial_log;    // absolute path; every boot appends to it
    bool ignore_acpi = false;  // no acpid: a shutdown request goes unanswered
    int self_poweroff_s = -1;  // >= 0: the guest powers off this long after it is ready
    int memory_mib = 192;
    bool hugepages = false;       // <memoryBacking><hugepages/>: backed by 2 MiB pages
    bool usb_controller = false;  // an xHCI controller, so that libvirt accepts USB hostdevs
    // The guest channel (docs/guest-channel.md): a unix socket QEMU listens on (absolute path;
    // empty: no channel), and what the guest's init says on it (hotseat.channel=: idle, unplug).
    std::string channel_socket;
    std::string channel_mode;
    // QEMU's guest agent channel (org.qemu.guest_agent.0, its socket placed by libvirt) and what
    // the guest's init does on it (hotseat.agent=): "answer" answers as qemu-guest-agent would,
    // "silent" holds the port and never answers. Empty: no agent channel.
    std::string agent_mode;
    bool suspend_to_mem = false;  // <pm><suspend-to-mem enabled='yes'/>: QEMU offers the guest S3
    int self_suspend_s = -1;      // >= 0: the guest suspends itself to RAM this long after it is ready
};

inline constexpr const char* kGuestChannel = "HOTSEAT-GUEST-CHANNEL";
// The guest agent (hotseat.agent=): its port is held; each command it hears ("...-HEARD
// guest-suspend-disk"); the power-off that stands for a written hibernation image.
inline constexpr const char* kGuestAgentReady = "HOTSEAT-GUEST-AGENT-READY";
inline constexpr const char* kGuestAgentHeard = "HOTSEAT-GUEST-AGENT-HEARD ";
inline constexpr const char* kGuestHibernatePoweroff = "HOTSEAT-GUEST-HIBERNATE-POWEROFF";
// Suspend to RAM (hotseat.selfsuspend=, or the agent's guest-suspend-ram): printed before the
// guest writes `mem` to /sys/power/state, and once it is woken.
inline constexpr const char* kGuestSuspendRam = "HOTSEAT-GUEST-SUSPEND-RAM";
inline constexpr const char* kGuestResumed = "HOTSEAT-GUEST-RESUMED";

// <domain type='qemu'> (TCG) booting the image directly, with the serial console to a file.
std::string guest_domain_xml(const GuestImage& image, const GuestOptions& options);

// The guest's serial console as QEMU writes it, every boot appended: count markers to tell boots
// apart.
class SerialConsole {
public:
    explicit SerialConsole(std::string path) : path_(std::move(path)) {}
    std::string text() const;
    std::size_t count(const std::string& marker) const;  // occurrences so far
    // Waits until `marker` has appeared at least `occurrences` times.
    bool wait_for(const std::string& marker, std::size_t occurrences = 1,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

private:
    std::string path_;
};

}  // namespace hotseat::test
