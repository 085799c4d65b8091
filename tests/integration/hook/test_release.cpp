// hotseat-hook `release end` and `reconnect begin`: undo what the log says, nothing else.
#include <gmock/gmock.h>

#include <filesystem>

#include "hook_test.h"

namespace hotseat::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kFullLog =
    "hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\ndo 2 vtconsole vtcon1\ndid 2\n"
    "do 3 framebuffer efi-framebuffer efi-framebuffer.0\ndid 3\nready\n";

class HookRelease : public HookTest {
protected:
    // The host as a finished prepare leaves it, without running one.
    void prepared_host() {
        bed.set(kNrHugepages, "3072\n");
        bed.set(kVtcon1Bind, "0");
        bed.write_undo_log(kFullLog);
        forget_setup_writes();
    }
};

TEST_F(HookRelease, RestoresEverythingInReverseAndRemovesTheLog) {
    ASSERT_EQ(run("prepare", "begin", boot_gpu_xml(true)).status, 0);
    writes->take();
    HookRun hook = run("release", "end", boot_gpu_xml(true));
    ASSERT_EQ(hook.status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kEfifbBind, kVtcon1Bind, kNrHugepages));
    EXPECT_EQ(bed.value(kEfifbBind), "efi-framebuffer.0");
    EXPECT_EQ(bed.value(kVtcon1Bind), "1");
    EXPECT_EQ(bed.value(kVtcon0Bind), "1");
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_THAT(hook.output, HasSubstr("host restored"));
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookRelease, GivesBackOnlyThePagesItAdded) {
    bed.set(kNrHugepages, "100\n");  // someone else's pages, in use
    ASSERT_EQ(run("prepare", "begin", hugepage_xml("6")).status, 0);
    EXPECT_EQ(bed.value(kNrHugepages), "3172");
    bed.set(kNrHugepages, "3200\n");  // and 28 more of theirs since
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_EQ(bed.value(kNrHugepages), "128");
}

TEST_F(HookRelease, NeverGoesBelowZeroPages) {
    prepared_host();
    bed.set(kNrHugepages, "1000\n");  // the admin lowered it meanwhile
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_EQ(bed.value(kNrHugepages), "0");
}

TEST_F(HookRelease, WorksWithoutTheConfig) {
    prepared_host();
    bed.remove_config();
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_EQ(bed.value(kVtcon1Bind), "1");
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookRelease, AfterACrashUndoesOnlyTheLoggedSteps) {
    // The prepare died after its first step: only the pool was raised.
    bed.set(kNrHugepages, "3072\n");
    bed.write_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\n");
    forget_setup_writes();
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kNrHugepages));
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_EQ(bed.value(kEfifbBind), "");
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookRelease, AfterACrashMidStepUndoesThatStepToo) {
    // Died between announcing the vtcon1 unbind and confirming it, while writing the next line.
    bed.set(kNrHugepages, "3072\n");
    bed.set(kVtcon1Bind, "0");
    bed.write_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\ndo 2 vtconsole vtcon1\ndo 3 fra");
    forget_setup_writes();
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kVtcon1Bind, kNrHugepages));
    EXPECT_EQ(bed.value(kVtcon1Bind), "1");
    EXPECT_EQ(bed.value(kNrHugepages), "0");
}

TEST_F(HookRelease, PoolRaiseCutShortGivesBackAtMostWhatWasAsked) {
    // Died between writing nr_hugepages and reading it back: the kernel had found 2000 pages.
    bed.set(kNrHugepages, "2050\n");
    bed.write_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 50 3122\n");
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_EQ(bed.value(kNrHugepages), "50");
}

TEST_F(HookRelease, ResumesAReleaseThatWasCutShort) {
    // The first release rebound the framebuffer and announced vtcon1's rebind, then died.
    bed.set(kNrHugepages, "3072\n");
    bed.set(kVtcon1Bind, "0");
    bed.write_undo_log(kFullLog + "undo 3\nundid 3\nundo 2\n");
    forget_setup_writes();
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kVtcon1Bind, kNrHugepages));
    EXPECT_EQ(bed.value(kVtcon1Bind), "1");
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_EQ(bed.value(kEfifbBind), "");
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookRelease, InterruptedPoolUndoIsNotRepeated) {
    bed.write_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\nready\nundo 1 3072 0\n");
    ASSERT_EQ(run("release", "end").status, 0);
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookRelease, SecondReleaseDoesNothing) {
    prepared_host();
    ASSERT_EQ(run("release", "end").status, 0);
    writes->take();
    HookRun again = run("release", "end");
    EXPECT_EQ(again.status, 0);
    EXPECT_EQ(again.output, "");
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookRelease, AfterAFailedPrepareFindsNothingToDo) {
    bed.refuse_writes(kVtcon1Bind);
    ASSERT_EQ(run("prepare", "begin", boot_gpu_xml(true)).status, 1);
    writes->take();
    HookRun release = run("release", "end");
    EXPECT_EQ(release.status, 0);
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookRelease, FramebufferThatCannotBeBoundAgainDoesNotFailTheRelease) {
    // vfio-pci (kernel 6.0 and later) removed the boot framebuffer for good: its bind fails.
    prepared_host();
    std::filesystem::remove(bed.file(kEfifbBind));
    std::filesystem::create_directory(bed.file(kEfifbBind));
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 0) << hook.output;
    EXPECT_THAT(hook.output, HasSubstr("could not rebind efi-framebuffer.0"));
    EXPECT_THAT(hook.output, HasSubstr("host restored"));
    EXPECT_EQ(bed.value(kVtcon1Bind), "1");
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_FALSE(bed.undo_log_exists());
}

// The release record (include/hotseat/release_record.h): what hotseatd reads once the VM stopped.
TEST_F(HookRelease, RecordsTheGpuDriversAndTheConsoleForHotseatd) {
    bed.write_config("[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\", \"0000:01:00.0\"]\n");
    ASSERT_EQ(run("prepare", "begin", boot_gpu_xml()).status, 0);
    ASSERT_EQ(run("release", "end").status, 0);
    // The iGPU is back on i915; the second GPU has no driver at all in this bed.
    EXPECT_EQ(read_file(bed.release_record()),
              "hotseat-release 1\ngpu 0000:00:02.0 i915\ngpu 0000:01:00.0 -\nconsole bound\n");
    auto perms = std::filesystem::status(bed.release_record()).permissions();
    EXPECT_EQ(perms, std::filesystem::perms(0644)) << "hotseatd runs as its own user";
}

TEST_F(HookRelease, RecordSaysWhenTheConsoleDidNotComeBack) {
    prepared_host();
    bed.refuse_writes(kVtcon1Bind);
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 1) << "the console is not back";
    EXPECT_EQ(read_file(bed.release_record()), "hotseat-release 1\nconsole unbound\n");
}

TEST_F(HookRelease, RecordIsWrittenWithoutAnUndoLogToo) {
    // A VM that takes a GPU other than the boot one: nothing to prepare, still a record.
    bed.write_config("[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n");
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 0);
    EXPECT_EQ(hook.output, "");
    EXPECT_EQ(read_file(bed.release_record()), "hotseat-release 1\ngpu 0000:00:02.0 i915\nconsole bound\n");
}

TEST_F(HookRelease, DamagedLogIsKeptAndNothingTouched) {
    prepared_host();
    bed.write_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ngarbage here\n");
    HookRun hook = run("release", "end");
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("damaged (line 3"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_TRUE(bed.undo_log_exists());
}

TEST_F(HookRelease, ReconnectKeepsTheLog) {
    prepared_host();
    HookRun hook = run("reconnect", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("keeping the undo log"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(bed.read_undo_log(), kFullLog);
}

TEST_F(HookRelease, ReconnectWithADamagedLogStillSucceeds) {
    bed.write_undo_log("not an undo log\n");
    HookRun hook = run("reconnect", "begin");
    EXPECT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("damaged"));
    EXPECT_TRUE(bed.undo_log_exists());
}

}  // namespace
}  // namespace hotseat::test
