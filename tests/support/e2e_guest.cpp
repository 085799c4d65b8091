#include "e2e_guest.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "process.h"

namespace hotseat::test {
namespace {

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\'': out += "&apos;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string kernel_command_line(const GuestOptions& options) {
    // quiet: every line on the emulated UART costs boot time under TCG.
    std::string line = "console=ttyS0 quiet panic=-1";
    if (options.ignore_acpi) line += " hotseat.acpi=ignore";
    if (options.self_poweroff_s >= 0) line += " hotseat.selfpoweroff=" + std::to_string(options.self_poweroff_s);
    if (!options.channel_mode.empty()) line += " hotseat.channel=" + options.channel_mode;
    if (!options.agent_mode.empty()) line += " hotseat.agent=" + options.agent_mode;
    if (options.self_suspend_s >= 0) line += " hotseat.selfsuspend=" + std::to_string(options.self_suspend_s);
    return line;
}

// libvirt places the agent's socket itself (under its channel directory) and connects to it.
std::string agent_channel_xml(const GuestOptions& options) {
    if (options.agent_mode.empty()) return "";
    return "    <channel type='unix'>\n"
           "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
           "    </channel>\n";
}

}  // namespace

std::string guest_cache_dir() {
    const char* env = std::getenv("HOTSEAT_E2E_CACHE");
    return std::filesystem::absolute(env && *env ? env : "/var/cache/hotseat-e2e").string();
}

std::string guest_libvirt_cache_dir() { return guest_cache_dir() + "/libvirt-cache"; }

GuestImage GuestImage::find() {
    const std::string dir = guest_cache_dir();
    GuestImage image{dir + "/vmlinuz", dir + "/initramfs.img"};
    for (const auto& file : {image.kernel, image.initramfs}) {
        std::error_code ec;
        if (std::filesystem::file_size(file, ec) == 0 || ec)
            throw std::runtime_error("the e2e guest image " + file +
                                     " is missing: run scripts/setup (it runs scripts/build-e2e-guest)");
    }
    return image;
}

std::string guest_channel_xml(const GuestOptions& options) {
    if (options.channel_socket.empty()) return "";
    return "    <channel type='unix'>\n"
           "      <source mode='bind' path='" +
           xml_escape(options.channel_socket) +
           "'/>\n"
           "      <target type='virtio' name='org.hotseat.guest.0'/>\n"
           "    </channel>\n";
}

std::string guest_domain_xml(const GuestImage& image, const GuestOptions& options) {
    if (options.serial_log.empty() || options.serial_log[0] != '/')
        throw std::invalid_argument("guest_domain_xml: serial_log must be an absolute path");
    return "<domain type='qemu'>\n"
           "  <name>" +
           xml_escape(options.name) +
           "</name>\n"
           "  <memory unit='MiB'>" +
           std::to_string(options.memory_mib) + "</memory>\n" +
           std::string(options.hugepages ? "  <memoryBacking><hugepages/></memoryBacking>\n" : "") +
           "  <vcpu>1</vcpu>\n"
           "  <os>\n"
           "    <type arch='x86_64' machine='pc'>hvm</type>\n"
           "    <kernel>" +
           xml_escape(image.kernel) +
           "</kernel>\n"
           "    <initrd>" +
           xml_escape(image.initramfs) +
           "</initrd>\n"
           "    <cmdline>" +
           xml_escape(kernel_command_line(options)) +
           "</cmdline>\n"
           "  </os>\n"
           "  <features><acpi/></features>\n"
           "  <on_poweroff>destroy</on_poweroff>\n"
           "  <on_reboot>destroy</on_reboot>\n"
           "  <on_crash>destroy</on_crash>\n" +
           std::string(options.suspend_to_mem ? "  <pm><suspend-to-mem enabled='yes'/></pm>\n" : "") +
           "  <devices>\n"
           "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
           "    <serial type='file'>\n"
           "      <source path='" +
           xml_escape(options.serial_log) +
           "' append='on'/>\n"
           "      <target port='0'/>\n"
           "    </serial>\n" +
           guest_channel_xml(options) + agent_channel_xml(options) + "    <controller type='usb' model='" +
           std::string(options.usb_controller ? "qemu-xhci" : "none") +
           "'/>\n"
           "    <memballoon model='none'/>\n"
           "  </devices>\n"
           "</domain>\n";
}

std::string SerialConsole::text() const { return read_file(path_); }

std::size_t SerialConsole::count(const std::string& marker) const {
    const std::string all = text();
    std::size_t n = 0;
    for (auto at = all.find(marker); at != std::string::npos; at = all.find(marker, at + marker.size())) ++n;
    return n;
}

bool SerialConsole::wait_for(const std::string& marker, std::size_t occurrences,
                             std::chrono::milliseconds timeout) const {
    return wait_until([&] { return count(marker) >= occurrences; }, timeout);
}

}  // namespace hotseat::test
