// A real, system-mode libvirtd (QEMU driver) for end-to-end tests and benchmarks, sealed off
// from the host's libvirt: it runs in a private mount namespace (held by hotseat-libvirt-sandbox)
// in which directories of a temporary root stand in for /etc/libvirt, /run/libvirt,
// /var/lib/libvirt, /var/log/libvirt and /var/cache/libvirt. QEMU runs as root, without cgroups,
// security driver or per-domain namespaces, and writes its log straight to a file (no virtlogd).
// The holder is a child subreaper, so QEMU exits are reaped at once.
//
// libvirtd can be killed and started again on the same directories (a running QEMU survives, as
// on a real host). Destruction kills libvirtd and every QEMU it started; the namespace, and so
// every mount, ends with them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "process.h"

namespace hotseat::test {

class LibvirtSandbox {
public:
    struct Options {
        // Stands in for /var/cache/libvirt when set (created if missing): QEMU's capabilities,
        // probed once (~1 s) and kept across sandboxes; libvirt re-probes when QEMU changes.
        // Empty: a fresh cache under the root.
        std::string cache_dir;
        // Mounts a hugetlbfs (2 MiB pages) at root()/hugepages inside the sandbox and makes it
        // libvirt's hugetlbfs_mount, so domains may ask for <hugepages/>. The pages come from the
        // host's real pool (/sys/kernel/mm/hugepages): whoever raises nr_hugepages restores it.
        bool hugetlbfs = false;
        // When set, written as the executable etc/libvirt/hooks/qemu.d/hotseat before libvirtd
        // starts (libvirtd only runs hooks whose directory existed when it started).
        std::string qemu_hook_script{};
        // false: libvirtd pings no client (keepalive_interval = -1 in libvirtd.conf). By default
        // it pings every idle client with an event loop every 5 s, as a stock libvirtd does.
        bool server_keepalive = true;
        // When set: libvirtd checks every call with polkit (access_drivers = [ "polkit" ])
        // against these rules (the text of one .rules file), asking a polkitd of the sandbox's
        // own on a bus of its own, with libvirt's action files (polkit_actions_dir()). The user
        // `hotseat` exists inside (hotseat_uid()), and anyone may connect to the socket: what
        // they may do is polkit's to say.
        std::string polkit_rules{};
    };

    // Prepares the root, starts the holder and libvirtd, and waits until libvirtd's socket
    // accepts connections. Throws std::runtime_error with the logs when it does not.
    LibvirtSandbox();
    explicit LibvirtSandbox(Options options);
    ~LibvirtSandbox();  // stop()
    LibvirtSandbox(const LibvirtSandbox&) = delete;
    LibvirtSandbox& operator=(const LibvirtSandbox&) = delete;

    const std::string& root() const { return dir_.path(); }
    std::string uri() const;  // qemu:///system?socket=<root>/run/libvirt-sock

    void kill_libvirtd();        // SIGKILL, as in a crash; returns once it is reaped
    void start_libvirtd();       // returns once the new daemon accepts connections; throws otherwise
    pid_t libvirtd_pid() const;  // 0 while none runs

    // The running QEMU of `domain` (libvirt's /run/libvirt/qemu/<domain>.pid), 0 when none.
    pid_t qemu_pid(const std::string& domain) const;

    // virsh -c uri() ARGS... run with a clean environment (no umockdev preload); returns its
    // stdout and stderr; *status gets the exit status (-1 on timeout).
    std::string virsh(const std::vector<std::string>& args, int* status = nullptr,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
    // The same command, to start without waiting (output to `output_file`).
    Process::Options virsh_command(const std::vector<std::string>& args, const std::string& output_file) const;
    // Defines (or redefines) a persistent domain; throws with virsh's message on failure.
    void define(const std::string& domain_xml) const;

    // With polkit_rules: virsh run as the user `hotseat` (setpriv), as virsh() does.
    std::string virsh_as_hotseat(const std::vector<std::string>& args, int* status = nullptr) const;
    unsigned hotseat_uid() const;

    // libvirt's polkit action files (org.libvirt.api.policy, org.libvirt.unix.policy), which
    // scripts/setup unpacks from libvirt-daemon-system without installing it:
    // $HOTSEAT_E2E_CACHE/libvirt-polkit (default /var/cache/hotseat-e2e/libvirt-polkit).
    static std::string polkit_actions_dir();

    // Kills everything in the sandbox and ends its namespace. Idempotent.
    void stop();
    // After stop(): processes still in the sandbox's mount namespace ("pid comm") and sandbox
    // mounts visible outside it ("mount <mountinfo line>"); empty when the teardown was clean.
    std::vector<std::string> leftovers() const;

    // The holder's, libvirtd's and every QEMU's log, for failure reports.
    std::string logs() const;

private:
    void write_configuration() const;
    void write_polkit_configuration() const;
    bool wait_accepting(std::chrono::milliseconds timeout) const;
    std::string socket() const { return root() + "/run/libvirt-sock"; }
    std::string polkit_bus() const { return "unix:path=" + root() + "/run/polkit-bus"; }
    bool wait_polkit(std::chrono::milliseconds timeout) const;
    std::string hugetlbfs_dir() const { return root() + "/hugepages"; }

    TempDir dir_;
    Options options_;
    std::unique_ptr<Process> holder_;
    std::string namespace_id_;  // readlink /proc/<holder>/ns/mnt
};

// Every process whose mount namespace is `namespace_id` ("mnt:[4026532...]"), as "pid comm".
std::vector<std::string> processes_in_namespace(const std::string& namespace_id);

}  // namespace hotseat::test
