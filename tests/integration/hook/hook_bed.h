// The host as hotseat-hook sees it, in a umockdev test bed: the hugepage pools, one NUMA node,
// 12 GB of memory (/proc/meminfo, which umockdev redirects too), two vtconsoles (vtcon0 the dummy console, vtcon1 fbcon's "frame buffer device"), the EFI
// framebuffer bound to efi-framebuffer, the boot iGPU 0000:00:02.0 (boot_vga 1) and a second GPU
// 0000:01:00.0 (boot_vga 0). Runs the real hook binary as a child process; the child inherits
// $UMOCKDEV_DIR and LD_PRELOAD, so its /sys is this test bed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process.h"
#include "testbed.h"

namespace hotseat::test {

// /sys paths of the attributes the hook may write.
inline const std::string kNrHugepages = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages";
inline const std::string kFreeHugepages = "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages";
inline const std::string kNrGigaPages = "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages";
inline const std::string kCompact = "/sys/devices/system/node/node0/compact";
inline const std::string kVtcon0Bind = "/sys/devices/virtual/vtconsole/vtcon0/bind";
inline const std::string kVtcon1Bind = "/sys/devices/virtual/vtconsole/vtcon1/bind";
inline const std::string kEfifbBind = "/sys/bus/platform/drivers/efi-framebuffer/bind";
inline const std::string kEfifbUnbind = "/sys/bus/platform/drivers/efi-framebuffer/unbind";
inline const std::string kBootGpu = "0000:00:02.0";
inline const std::string kOtherGpu = "0000:01:00.0";
inline const std::string kDomain = "arch-desktop";
inline const std::string kMemTotalKib = "11863780";  // the reference machine's 12 GB, as the kernel reports it

struct DomainXml {
    std::string name = kDomain;
    std::string memory = "6";  // with memory_unit
    std::string memory_unit = "GiB";
    bool hugepages = false;
    std::string page;                   // e.g. "<page size='1' unit='G'/>" inside <hugepages>
    std::vector<std::string> hostdevs;  // PCI addresses
};
std::string domain_xml(const DomainXml& spec);

struct HookRun {
    int status = -1;     // exit status, -1 when it did not end in time
    std::string output;  // stdout + stderr
};

class HookBed {
public:
    HookBed();  // also writes a config naming kDomain (no gpu list)

    const std::string& root() const { return testbed_.root(); }
    // The test bed file behind a /sys path, and its content without trailing whitespace.
    std::string file(const std::string& sys_path) const { return testbed_.root() + sys_path; }
    std::string value(const std::string& sys_path) const;
    void set(const std::string& sys_path, const std::string& content) const;

    void write_config(const std::string& toml) const;
    void remove_config() const;
    std::string runtime_dir() const { return dir_.file("run"); }
    std::string undo_log() const { return runtime_dir() + "/" + kDomain + ".undo"; }
    std::string read_undo_log() const;
    void write_undo_log(const std::string& text) const;  // creates the runtime directory (0755)
    bool undo_log_exists() const;
    std::string release_record() const { return runtime_dir() + "/" + kDomain + ".release"; }
    void make_runtime_dir() const;  // root's, 0755, as tmpfiles makes /run/hotseat

    // The kernel refusing every write to a /sys attribute (EROFS), while reads still work: the
    // hook runs in a mount namespace of its own where that file is bind-mounted read-only.
    void refuse_writes(const std::string& sys_path) { refused_.push_back(file(sys_path)); }

    // Runs `hotseat-hook domain op subop -` with `xml` on stdin, to the end.
    HookRun run(const std::string& op, const std::string& subop, const std::string& xml = "",
                const std::string& domain = kDomain) const;
    // Starts it with stdin from `stdin_path`; the caller waits.
    std::unique_ptr<Process> start(const std::string& op, const std::string& subop, const std::string& stdin_path,
                                   const std::string& domain = kDomain) const;

    // Every attribute above that the hook may write.
    static std::vector<std::string> writable_attributes();

private:
    void add_hugepage_pool(const std::string& size) const;
    void add_consoles();
    void add_framebuffer();
    void add_gpus();

    Testbed testbed_;
    TempDir dir_;
    std::vector<std::string> refused_;
    mutable int runs_ = 0;
};

}  // namespace hotseat::test
