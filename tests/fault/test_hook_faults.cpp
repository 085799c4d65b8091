// Fault: hotseat-hook's `prepare` fails halfway, or finds its runtime directory unusable. Either
// way the host gets everything back (every attribute the hook may write holds its value from
// before), no undo log is left behind, libvirt is told (exit 1) with a message naming the
// cause, and a later `release` has nothing to do.
//
// Attacks (issue #19 item 4, docs/robustness.md "Threat model"): a runtime directory someone
// other than root could write, planted symlinks and hard links, forged undo logs. The hook
// refuses each before writing anything, and never writes outside the files it names.
#include <gmock/gmock.h>
#include <unistd.h>

#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <map>

#include "hook_test.h"

namespace hotseat::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The host's state as the hook changes it. compact, bind and unbind are commands, not state:
// the framebuffer is bound unless something was written to unbind and not the same to bind.
std::map<std::string, std::string> host_values(const HookBed& bed) {
    std::map<std::string, std::string> values;
    for (const auto& path : {kNrHugepages, kNrGigaPages, kVtcon0Bind, kVtcon1Bind}) values[path] = bed.value(path);
    std::string unbound = bed.value(kEfifbUnbind);
    values["efi-framebuffer"] = unbound.empty() || bed.value(kEfifbBind) == unbound ? "bound" : "unbound";
    return values;
}

class HookFailsAtStep : public HookTest, public ::testing::WithParamInterface<std::string> {};

// The first and the last step a boot-GPU guest with hugepages cannot start without: the
// hugepage pool and fbcon's vtconsole (the framebuffer after them is best effort, see
// hooks/consoles.h; the hugepage shortfall is in tests/integration/hook). The kernel refuses the
// write (EROFS) while the attribute still reads as before.
INSTANTIATE_TEST_SUITE_P(Faults, HookFailsAtStep, ::testing::Values(kNrHugepages, kVtcon1Bind), [](const auto& info) {
    std::string name = fs::path(fs::path(info.param).parent_path()).filename().string() + "_" +
                       fs::path(info.param).filename().string();
    for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
});

TEST_P(HookFailsAtStep, HostGetsEverythingBack) {
    const std::string broken = GetParam();
    bed.refuse_writes(broken);
    auto before = host_values(bed);
    forget_setup_writes();

    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 1) << "libvirt must be told the start cannot go on";
    EXPECT_THAT(hook.output, HasSubstr(fs::path(broken).filename().string()));
    EXPECT_THAT(hook.output, HasSubstr("Read-only file system"));
    EXPECT_EQ(host_values(bed), before) << "a change was left in place";
    EXPECT_FALSE(bed.undo_log_exists()) << bed.read_undo_log();

    writes->take();
    HookRun release = run("release", "end", boot_gpu_xml(true));
    EXPECT_EQ(release.status, 0);
    EXPECT_THAT(writes->take(), IsEmpty()) << "release found something to undo";
    EXPECT_EQ(host_values(bed), before);
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

// --- The runtime directory is trusted only when it is root's alone. ---

constexpr uid_t kSomeoneElse = 65534;  // nobody

struct UntrustedDir {
    std::string name;
    std::function<void(const HookBed&)> make;
    std::string said;
};

void PrintTo(const UntrustedDir& dir, std::ostream* out) { *out << dir.name; }

class HookUntrustedRuntimeDir : public HookTest, public ::testing::WithParamInterface<UntrustedDir> {};

INSTANTIATE_TEST_SUITE_P(Attacks, HookUntrustedRuntimeDir,
                         ::testing::Values(UntrustedDir{"OwnedBySomeoneElse",
                                                        [](const HookBed& bed) {
                                                            bed.make_runtime_dir();
                                                            ASSERT_EQ(::chown(bed.runtime_dir().c_str(), kSomeoneElse,
                                                                              kSomeoneElse),
                                                                      0);
                                                        },
                                                        "owned by uid 65534"},
                                           UntrustedDir{"GroupWritable",
                                                        [](const HookBed& bed) {
                                                            bed.make_runtime_dir();
                                                            fs::permissions(bed.runtime_dir(), fs::perms(0775));
                                                        },
                                                        "has mode 0775"},
                                           UntrustedDir{"WorldWritableSticky",
                                                        [](const HookBed& bed) {
                                                            bed.make_runtime_dir();
                                                            fs::permissions(bed.runtime_dir(), fs::perms(01777));
                                                        },
                                                        "has mode 1777"},
                                           UntrustedDir{"Symlink",
                                                        [](const HookBed& bed) {
                                                            // A good directory elsewhere: the link itself is what is refused.
                                                            std::string elsewhere = bed.runtime_dir() + ".real";
                                                            fs::create_directory(elsewhere);
                                                            fs::permissions(elsewhere, fs::perms(0755));
                                                            fs::create_directory_symlink(elsewhere, bed.runtime_dir());
                                                        },
                                                        "is a symlink"}),
                         [](const auto& info) { return info.param.name; });

TEST_P(HookUntrustedRuntimeDir, PrepareRefusesBeforeTouchingAnything) {
    GetParam().make(bed);
    auto before = host_values(bed);
    forget_setup_writes();
    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr(GetParam().said));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(host_values(bed), before);
    EXPECT_FALSE(fs::exists(bed.runtime_dir() + "/hook.lock")) << "nothing is created in it";
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_P(HookUntrustedRuntimeDir, ReleaseDoesNotBelieveAnUndoLogInIt) {
    // An undo log asking for the console back, as anyone able to write there could leave it.
    bed.set(kVtcon1Bind, "0");
    GetParam().make(bed);
    write_file(bed.undo_log(), "hotseat-undo 1\ndo 1 vtconsole vtcon1\ndid 1\nready\n", 0600);
    forget_setup_writes();
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr(GetParam().said));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_TRUE(bed.undo_log_exists()) << "left for root to look at";
}

TEST_F(HookRuntimeDir, MissingIsCreatedRootsAnd0755) {
    ASSERT_EQ(run("prepare", "begin", hugepage_xml()).status, 0);
    struct stat st {};
    ASSERT_EQ(::lstat(bed.runtime_dir().c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_uid, ::geteuid());
    EXPECT_EQ(st.st_mode & 022, 0u);
}

// --- Planted symlinks and hard links: root must not write, create or read through them. ---

class HookPlantedLink : public HookTest {
protected:
    void SetUp() override {
        HookTest::SetUp();
        bed.make_runtime_dir();
        victim = elsewhere.file("victim");
    }
    TempDir elsewhere;  // stands for any file on the host (/etc/shadow ...)
    std::string victim;
};

TEST_F(HookPlantedLink, LockSymlinkCreatesNothing) {
    fs::create_symlink(victim, bed.runtime_dir() + "/hook.lock");
    HookRun hook = run("prepare", "begin", hugepage_xml());
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("hook.lock is a symlink"));
    EXPECT_FALSE(fs::exists(victim)) << "root created a file through the planted link";
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPlantedLink, UndoLogSymlinkIsNotWrittenThrough) {
    fs::create_symlink(victim, bed.undo_log());
    HookRun hook = run("prepare", "begin", hugepage_xml());
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr(".undo is a symlink"));
    EXPECT_FALSE(fs::exists(victim)) << "root wrote the undo log through the planted link";
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPlantedLink, UndoLogSymlinkIsNotReadThrough) {
    // A log elsewhere that would have release rebind the console.
    bed.set(kVtcon1Bind, "0");
    write_file(victim, "hotseat-undo 1\ndo 1 vtconsole vtcon1\ndid 1\nready\n");
    fs::create_symlink(victim, bed.undo_log());
    forget_setup_writes();
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr(".undo is a symlink"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(bed.value(kVtcon1Bind), "0");
}

TEST_F(HookPlantedLink, UndoLogHardLinkIsNotWrittenThrough) {
    write_file(victim, "precious\n");
    fs::create_hard_link(victim, bed.undo_log());
    HookRun hook = run("prepare", "begin", hugepage_xml());
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("(a hard link): refused"));
    EXPECT_EQ(read_file(victim), "precious\n");
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPlantedLink, ReleaseRecordSymlinkIsReplacedNotFollowed) {
    fs::create_symlink(victim, bed.release_record());
    fs::create_symlink(victim, bed.runtime_dir() + "/.arch-desktop.release.new");
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_FALSE(fs::exists(victim));
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(bed.release_record())));
    EXPECT_EQ(read_file(bed.release_record()), "hotseat-release 1\nconsole bound\n");
}

// --- Forged undo logs: release writes only known sysfs names, hugepages only down. ---

struct ForgedLog {
    std::string name;
    std::string log;
    std::string nr_hugepages;  // the pool before the release
};

void PrintTo(const ForgedLog& forged, std::ostream* out) { *out << forged.name; }

class HookForgedUndoLog : public HookTest, public ::testing::WithParamInterface<ForgedLog> {};

INSTANTIATE_TEST_SUITE_P(
    Attacks, HookForgedUndoLog,
    ::testing::Values(
        // /sys/class/vtconsole/<name>/bind would be efi-framebuffer's bind.
        ForgedLog{"VtconsoleDotDot",
                  "hotseat-undo 1\ndo 1 vtconsole ../../bus/platform/drivers/efi-framebuffer\ndid 1\nready\n", "0"},
        // /sys/bus/platform/drivers/<driver>/bind would be vtcon1's bind.
        ForgedLog{"FramebufferDriverDotDot",
                  "hotseat-undo 1\ndo 1 framebuffer ../../../devices/virtual/vtconsole/vtcon1 x\ndid 1\nready\n", "0"},
        ForgedLog{"FramebufferUnknownDriver", "hotseat-undo 1\ndo 1 framebuffer i915 0000:00:02.0\ndid 1\nready\n",
                  "0"},
        ForgedLog{"FramebufferDeviceWithSlash", "hotseat-undo 1\ndo 1 framebuffer efi-framebuffer a/b\ndid 1\nready\n",
                  "0"},
        // An interrupted undo that would raise the pool to any value.
        ForgedLog{"HugepagesUndoUpward",
                  "hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\nready\nundo 1 0 999999\n", "0"},
        // One that would take 3000 pages when prepare added 100.
        ForgedLog{"HugepagesUndoBeyondTheStep",
                  "hotseat-undo 1\ndo 1 hugepages 2048 100 200\ndid 1 200\nready\nundo 1 3000 0\n", "3000"},
        ForgedLog{"HugepagesUnknownPageSize", "hotseat-undo 1\ndo 1 hugepages 3000 0 10\ndid 1 10\nready\n", "0"}),
    [](const auto& info) { return info.param.name; });

TEST_P(HookForgedUndoLog, IsRefusedAndNothingIsWritten) {
    bed.set(kNrHugepages, GetParam().nr_hugepages + "\n");
    bed.write_undo_log(GetParam().log);
    auto before = host_values(bed);
    forget_setup_writes();
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("is damaged (line"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(host_values(bed), before);
    EXPECT_TRUE(bed.undo_log_exists()) << "left for root to look at";
}

}  // namespace
}  // namespace hotseat::test
