// Fault: hotseat-hook's `prepare` fails halfway, or finds its runtime directory unusable. Either
// way the host gets everything back (every attribute the hook may write holds its value from
// before), no undo log is left behind, libvirt is told (exit 1) with a message naming the
// cause, and a later `release` has nothing to do.
#include <gmock/gmock.h>

#include <filesystem>
#include <map>

#include "hook_test.h"

namespace hotseat::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The kernel refusing a write, simulated by the attribute becoming impossible to open.
void break_attribute(const HookBed& bed, const std::string& sys_path) {
    fs::remove(bed.file(sys_path));
    fs::create_directory(bed.file(sys_path));
}

// The host's state as the hook changes it. compact, bind and unbind are commands, not state:
// the framebuffer is bound unless something was written to unbind and not the same to bind.
std::map<std::string, std::string> host_values(const HookBed& bed, const std::string& except = "") {
    std::map<std::string, std::string> values;
    for (const auto& path : {kNrHugepages, kNrGigaPages, kVtcon0Bind, kVtcon1Bind})
        if (path != except) values[path] = bed.value(path);
    if (except != kEfifbUnbind) {
        std::string unbound = bed.value(kEfifbUnbind);
        values["efi-framebuffer"] = unbound.empty() || bed.value(kEfifbBind) == unbound ? "bound" : "unbound";
    }
    return values;
}

class HookFailsAtStep : public HookTest, public ::testing::WithParamInterface<std::string> {};

// The first and the last step of a boot-GPU guest with hugepages: hugepage pool, (fbcon,)
// efi-framebuffer. (A vtcon bind that cannot be read counts as already unbound and is skipped,
// by design, so it cannot be broken this way; the hugepage shortfall is in tests/integration/hook.)
INSTANTIATE_TEST_SUITE_P(Faults, HookFailsAtStep, ::testing::Values(kNrHugepages, kEfifbUnbind),
                         [](const auto& info) {
                             std::string name = fs::path(fs::path(info.param).parent_path()).filename().string() +
                                                "_" + fs::path(info.param).filename().string();
                             for (auto& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST_P(HookFailsAtStep, HostGetsEverythingBack) {
    const std::string broken = GetParam();
    break_attribute(bed, broken);
    auto before = host_values(bed, broken);
    forget_setup_writes();

    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 1) << "libvirt must be told the start cannot go on";
    EXPECT_THAT(hook.output, HasSubstr(fs::path(broken).filename().string()));
    EXPECT_EQ(host_values(bed, broken), before) << "a change was left in place";
    EXPECT_FALSE(bed.undo_log_exists()) << bed.read_undo_log();

    writes->take();
    HookRun release = run("release", "end", boot_gpu_xml(true));
    EXPECT_EQ(release.status, 0);
    EXPECT_THAT(writes->take(), IsEmpty()) << "release found something to undo";
    EXPECT_EQ(host_values(bed, broken), before);
}

using HookRuntimeDir = HookTest;

TEST_F(HookRuntimeDir, NotADirectoryRefusesBeforeTouchingTheHost) {
    write_file(bed.runtime_dir(), "a file where the runtime directory belongs\n");
    auto before = host_values(bed);
    forget_setup_writes();
    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr(bed.runtime_dir()));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(host_values(bed), before);
}

TEST_F(HookRuntimeDir, UnwritableUndoLogRefusesBeforeTouchingTheHost) {
    // The directory and its lock work; the undo log itself cannot be created.
    fs::create_directories(bed.undo_log());
    auto before = host_values(bed);
    forget_setup_writes();
    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr(bed.undo_log()));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(host_values(bed), before);
}

}  // namespace
}  // namespace hotseat::test
