// The filesystem view of the sandboxed libvirtd (hotseat-libvirt-sandbox): a private mount
// namespace in which project-owned directories stand in for the host's libvirt state, so that
// nothing of the host's libvirt is read or written and nothing leaks out (propagation private).
#pragma once

#include <string>
#include <vector>

namespace hotseat::test::sandbox {

struct BindMount {
    std::string source;  // under the sandbox root
    std::string target;  // the host path it hides
};

// Where libvirtd keeps configuration, sockets, state, logs and caches, each mapped to a
// directory under `root` (etc, run, lib, log, cache); `cache_dir`, when not empty, replaces
// root/cache.
std::vector<BindMount> libvirt_mounts(const std::string& root, const std::string& cache_dir = "");

// libvirtd looks the `libvirt-qemu` user up before it reads qemu.conf. When the host has none
// (or, with `hotseat_user`, no `hotseat` user either), writes passwd/group copies with the
// missing ones added under `root` and returns the mounts that put them over /etc/passwd and
// /etc/group; otherwise returns nothing.
std::vector<BindMount> account_mounts(const std::string& root, bool hotseat_user = false);

// The uid (and gid) of the user `hotseat` inside the sandbox: the host's, or the first uid from
// 64100 up that the host does not use. The same answer on both sides of the sandbox.
unsigned hotseat_uid();

// For a sandbox whose libvirtd checks every call with polkit: `root`/polkit/actions over
// /usr/share/polkit-1/actions (libvirt's action files), `root`/polkit/rules.d over
// /etc/polkit-1/rules.d and an empty directory over /usr/share/polkit-1/rules.d, so that polkitd
// knows libvirt's actions and applies the test's rules alone.
std::vector<BindMount> polkit_mounts(const std::string& root);

// Moves the calling process into a new mount namespace whose mounts propagate nowhere, then
// bind-mounts each source over its target (creating a missing target directory). Throws
// std::system_error naming the step that failed.
void enter_private_namespace(const std::vector<BindMount>& mounts);

// Inside that namespace: a hugetlbfs of 2 MiB pages at `directory` (libvirt's hugetlbfs_mount).
// It takes no pages itself; QEMU's files in it draw on the host's pool. Throws like the above.
void mount_hugetlbfs(const std::string& directory);

}  // namespace hotseat::test::sandbox
