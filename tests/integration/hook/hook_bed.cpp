#include "hook_bed.h"

#include <unistd.h>

#include <filesystem>

namespace hotseat::test {
namespace fs = std::filesystem;

std::string domain_xml(const DomainXml& spec) {
    std::string xml = "<domain type='kvm'>\n  <name>" + spec.name + "</name>\n";
    xml += "  <memory unit='" + spec.memory_unit + "'>" + spec.memory + "</memory>\n";
    xml += "  <currentMemory unit='" + spec.memory_unit + "'>" + spec.memory + "</currentMemory>\n";
    if (spec.hugepages) xml += "  <memoryBacking>\n    <hugepages>" + spec.page + "</hugepages>\n  </memoryBacking>\n";
    xml += "  <vcpu>2</vcpu>\n  <devices>\n";
    for (const auto& pci : spec.hostdevs) {
        // "0000:00:02.0" → domain='0x0000' bus='0x00' slot='0x02' function='0x0'
        xml +=
            "    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source>\n"
            "        <address domain='0x" +
            pci.substr(0, 4) + "' bus='0x" + pci.substr(5, 2) + "' slot='0x" + pci.substr(8, 2) + "' function='0x" +
            pci.substr(11, 1) + "'/>\n      </source>\n    </hostdev>\n";
    }
    xml +=
        "    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.qcow2'/>"
        "<target dev='vda' bus='virtio'/></disk>\n  </devices>\n</domain>\n";
    return xml;
}

HookBed::HookBed() {
    add_hugepage_pool("2048kB");
    add_hugepage_pool("1048576kB");
    fs::create_directories(file("/sys/devices/system/node/node0"));
    write_file(file(kCompact), "");
    write_file(file("/sys/devices/system/node/online"), "0\n");
    fs::create_directories(file("/proc"));
    write_file(file("/proc/meminfo"), "MemTotal:       " + kMemTotalKib + " kB\nMemFree:         4093412 kB\n");
    add_consoles();
    add_framebuffer();
    add_gpus();
    write_config("[[vm]]\nname = \"" + kDomain + "\"\n");
}

void HookBed::add_hugepage_pool(const std::string& size) const {
    std::string dir = file("/sys/kernel/mm/hugepages/hugepages-" + size);
    fs::create_directories(dir);
    for (const char* name : {"nr_hugepages", "free_hugepages", "resv_hugepages", "surplus_hugepages"})
        write_file(dir + "/" + name, "0\n");
}

void HookBed::add_consoles() {
    testbed_.add_device("vtconsole", "virtual/vtconsole/vtcon0", "", {{"name", "(S) dummy device"}, {"bind", "1"}}, {});
    testbed_.add_device("vtconsole", "virtual/vtconsole/vtcon1", "",
                        {{"name", "(M) frame buffer device"}, {"bind", "1"}}, {});
}

// The device, its driver's directory with bind/unbind and the links the kernel keeps there.
void HookBed::add_framebuffer() {
    testbed_.add_device("platform", "platform/efi-framebuffer.0", "", {}, {{"DRIVER", "efi-framebuffer"}});
    std::string driver = file("/sys/bus/platform/drivers/efi-framebuffer");
    fs::create_directories(driver);
    fs::create_directories(file("/sys/module/efifb"));
    write_file(driver + "/bind", "");
    write_file(driver + "/unbind", "");
    write_file(driver + "/uevent", "");
    fs::create_directory_symlink("../../../../devices/platform/efi-framebuffer.0", driver + "/efi-framebuffer.0");
    fs::create_directory_symlink("../../../../module/efifb", driver + "/module");
    fs::create_directory_symlink("../../../bus/platform/drivers/efi-framebuffer",
                                 file("/sys/devices/platform/efi-framebuffer.0/driver"));
}

void HookBed::add_gpus() {
    testbed_.add_intel_igpu();  // 0000:00:02.0, boot_vga 1
    testbed_.add_device("pci", "pci0000:00/0000:00:01.0/0000:01:00.0", "",
                        {{"vendor", "0x1002"}, {"class", "0x030000"}, {"boot_vga", "0"}},
                        {{"PCI_SLOT_NAME", kOtherGpu}});
}

std::string HookBed::value(const std::string& sys_path) const {
    std::string text = read_file(file(sys_path));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

void HookBed::set(const std::string& sys_path, const std::string& content) const {
    write_file(file(sys_path), content);
}

void HookBed::write_config(const std::string& toml) const { write_file(dir_.file("hotseat.toml"), toml); }

void HookBed::remove_config() const { fs::remove(dir_.file("hotseat.toml")); }

std::string HookBed::read_undo_log() const { return read_file(undo_log()); }

void HookBed::make_runtime_dir() const {
    fs::create_directories(runtime_dir());
    fs::permissions(runtime_dir(), fs::perms(0755));  // whatever the umask
}

void HookBed::write_undo_log(const std::string& text) const {
    make_runtime_dir();
    write_file(undo_log(), text, 0600);
}

bool HookBed::undo_log_exists() const { return fs::exists(undo_log()); }

std::unique_ptr<Process> HookBed::start(const std::string& op, const std::string& subop, const std::string& stdin_path,
                                        const std::string& domain) const {
    Process::Options options;
    // The shell only connects stdin (Process gives children /dev/null) and execs the hook.
    std::string script = "exec \"$0\" \"$@\" < \"$HOOK_STDIN\"";
    options.argv = {"/bin/sh", "-c", script, HOTSEAT_HOOK_PATH, domain, op, subop, "-"};
    if (!refused_.empty()) {
        std::string mounts;
        for (const auto& path : refused_)
            mounts += "mount --bind '" + path + "' '" + path + "' && mount -o remount,bind,ro '" + path + "' && ";
        options.argv = {"unshare",       "--mount",         "--propagation", "private", "/bin/sh", "-c",
                        mounts + script, HOTSEAT_HOOK_PATH, domain,          op,        subop,     "-"};
    }
    options.env = {{"HOTSEAT_CONFIG", dir_.file("hotseat.toml")},
                   {"HOTSEAT_RUNTIME_DIR", runtime_dir()},
                   {"HOOK_STDIN", stdin_path}};
    options.output_file = dir_.file("hook-" + std::to_string(++runs_) + ".log");
    return std::make_unique<Process>(options);
}

HookRun HookBed::run(const std::string& op, const std::string& subop, const std::string& xml,
                     const std::string& domain) const {
    std::string input = dir_.file("domain-" + std::to_string(runs_ + 1) + ".xml");
    write_file(input, xml);
    auto hook = start(op, subop, input, domain);
    HookRun result;
    result.status = hook->wait(std::chrono::seconds(20));
    result.output = hook->output();
    return result;
}

std::vector<std::string> HookBed::writable_attributes() {
    return {kNrHugepages, kFreeHugepages, kNrGigaPages, kCompact, kVtcon0Bind, kVtcon1Bind, kEfifbBind, kEfifbUnbind};
}

}  // namespace hotseat::test
