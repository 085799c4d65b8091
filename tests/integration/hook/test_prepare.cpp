// hotseat-hook `prepare begin` against a umockdev test bed (docs/design.md "The hook", "Hardware
// facts" 6 and 7).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "fake_hugepage_kernel.h"
#include "hook_test.h"

namespace hotseat::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Access = FakeHugepageKernel::Access;
using HookPrepare = HookTest;

TEST_F(HookPrepare, DomainNotInTheConfigIsLeftAloneWithoutReadingStdin) {
    // stdin is a FIFO whose writer never writes nor closes: a hook that read it would hang.
    TempDir dir;
    std::string fifo = dir.file("stdin");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    int keep_open = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(keep_open, 0);
    for (auto [op, subop] : {std::pair{"prepare", "begin"}, {"release", "end"}, {"reconnect", "begin"}}) {
        auto hook = bed.start(op, subop, fifo, "windows-vm");
        EXPECT_EQ(hook->wait(std::chrono::seconds(10)), 0) << op;
        EXPECT_EQ(hook->output(), "") << op;
    }
    ::close(keep_open);
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_FALSE(std::filesystem::exists(bed.runtime_dir()));
}

TEST_F(HookPrepare, UnreadableConfigLeavesTheDomainAloneAndSaysWhy) {
    bed.remove_config();
    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("hotseat-hook: arch-desktop: error:"));
    EXPECT_THAT(hook.output, HasSubstr("cannot read the config"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookPrepare, InvalidConfigLeavesTheDomainAlone) {
    bed.write_config("[[vm]]\nname = \"arch-desktop\"\nbogus = 1\n");
    HookRun hook = run("prepare", "begin", hugepage_xml());
    EXPECT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("bogus"));
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPrepare, CompactsThenAllocatesTheHugepagesTheGuestNeeds) {
    HookRun hook = run("prepare", "begin", hugepage_xml("6"));
    ASSERT_EQ(hook.status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kCompact, kNrHugepages));
    EXPECT_EQ(bed.value(kCompact), "1");
    EXPECT_EQ(bed.value(kNrHugepages), "3072");  // 6 GiB in 2 MiB pages
    EXPECT_THAT(hook.output, HasSubstr("arch-desktop: hugepages:"));
    EXPECT_EQ(bed.read_undo_log(), "hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\nready\n");
}

TEST_F(HookPrepare, PagesAlreadyFreeAreCountedNotAllocatedAgain) {
    bed.set(kNrHugepages, "1000\n");
    bed.set(kFreeHugepages, "1000\n");
    ASSERT_EQ(run("prepare", "begin", hugepage_xml("6")).status, 0);
    EXPECT_EQ(bed.value(kNrHugepages), "3072");
    EXPECT_THAT(bed.read_undo_log(), HasSubstr("do 1 hugepages 2048 1000 3072\ndid 1 3072\n"));
}

TEST_F(HookPrepare, PagesReservedAtBootNeedNoAllocation) {
    bed.set(kNrHugepages, "3072\n");
    bed.set(kFreeHugepages, "3072\n");
    forget_setup_writes();
    HookRun hook = run("prepare", "begin", hugepage_xml("6"));
    ASSERT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("nothing to allocate"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookPrepare, PageSizeComesFromTheXml) {
    DomainXml spec;
    spec.memory = "6";
    spec.hugepages = true;
    spec.page = "<page size='1' unit='G'/>";
    ASSERT_EQ(run("prepare", "begin", domain_xml(spec)).status, 0);
    EXPECT_EQ(bed.value(kNrGigaPages), "6");
    EXPECT_EQ(bed.value(kNrHugepages), "0");
}

TEST_F(HookPrepare, ShortfallFailsNamesTheMissingPagesAndGivesBackWhatWasGot) {
    // The kernel finds only 3000 pages. Expected: read the pool, ask for 3072, read back 3000,
    // then (rolling back) read the pool again and set it back to 0.
    FakeHugepageKernel kernel(bed.file(kNrHugepages), 0, 3000,
                              {Access::Read, Access::Write, Access::Read, Access::Read, Access::Write});
    HookRun hook = run("prepare", "begin", hugepage_xml("6"));
    EXPECT_EQ(kernel.finish(), "");
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(kernel.written(), ElementsAre("3072", "0"));
    EXPECT_EQ(kernel.pages(), 0u);
    EXPECT_THAT(hook.output, HasSubstr("only 3000 of the 3072 more hugepages of 2048 kB"));
    EXPECT_THAT(hook.output, HasSubstr("72 missing"));
    EXPECT_THAT(hook.output, HasSubstr("hugepagesz=2M hugepages=3072"));
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookPrepare, BootGpuReleasesOnlyTheFrameBufferConsoleAndTheEfiFramebuffer) {
    HookRun hook = run("prepare", "begin", boot_gpu_xml());
    ASSERT_EQ(hook.status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kVtcon1Bind, kEfifbUnbind));
    EXPECT_EQ(bed.value(kVtcon1Bind), "0");
    EXPECT_EQ(bed.value(kVtcon0Bind), "1");
    EXPECT_EQ(bed.value(kEfifbUnbind), "efi-framebuffer.0");
    EXPECT_EQ(bed.read_undo_log(),
              "hotseat-undo 1\ndo 1 vtconsole vtcon1\ndid 1\n"
              "do 2 framebuffer efi-framebuffer efi-framebuffer.0\ndid 2\nready\n");
}

TEST_F(HookPrepare, ConsoleAlreadyUnboundIsNeitherTouchedNorRecorded) {
    bed.set(kVtcon1Bind, "0");
    forget_setup_writes();
    ASSERT_EQ(run("prepare", "begin", boot_gpu_xml()).status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kEfifbUnbind));
    EXPECT_EQ(bed.read_undo_log(),
              "hotseat-undo 1\ndo 1 framebuffer efi-framebuffer efi-framebuffer.0\ndid 1\nready\n");
}

TEST_F(HookPrepare, AnotherGpuLeavesTheConsoleAlone) {
    DomainXml spec;
    spec.hostdevs = {kOtherGpu};
    HookRun hook = run("prepare", "begin", domain_xml(spec));
    ASSERT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("nothing to prepare"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookPrepare, BootGpuListedOnlyInTheConfigCounts) {
    bed.write_config("[[vm]]\nname = \"arch-desktop\"\ngpu = [\"0000:00:02.0\"]\n");
    ASSERT_EQ(run("prepare", "begin", domain_xml({})).status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kVtcon1Bind, kEfifbUnbind));
}

TEST_F(HookPrepare, EveryChangeInOrderWithTheUndoLogAheadOfEach) {
    ASSERT_EQ(run("prepare", "begin", boot_gpu_xml(true)).status, 0);
    EXPECT_THAT(writes->take(), ElementsAre(kCompact, kNrHugepages, kVtcon1Bind, kEfifbUnbind));
    EXPECT_EQ(bed.read_undo_log(),
              "hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\ndo 2 vtconsole vtcon1\ndid 2\n"
              "do 3 framebuffer efi-framebuffer efi-framebuffer.0\ndid 3\nready\n");
}

TEST_F(HookPrepare, SecondPrepareAddsNothing) {
    ASSERT_EQ(run("prepare", "begin", boot_gpu_xml(true)).status, 0);
    std::string log = bed.read_undo_log();
    writes->take();
    HookRun again = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(again.status, 0);
    EXPECT_THAT(again.output, HasSubstr("already prepared"));
    EXPECT_THAT(writes->take(), IsEmpty());
    EXPECT_EQ(bed.value(kNrHugepages), "3072");
    EXPECT_EQ(bed.read_undo_log(), log);
}

TEST_F(HookPrepare, UnfinishedEarlierPrepareIsUndoneBeforeStartingOver) {
    // A prepare killed after its first step: the pool holds its 3072 pages, no "ready".
    bed.set(kNrHugepages, "3072\n");
    bed.write_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\ndo 2 vtcons");
    forget_setup_writes();
    HookRun hook = run("prepare", "begin", hugepage_xml("6"));
    ASSERT_EQ(hook.status, 0);
    EXPECT_THAT(hook.output, HasSubstr("did not finish"));
    EXPECT_THAT(writes->take(), ElementsAre(kNrHugepages, kCompact, kNrHugepages));
    EXPECT_EQ(bed.value(kNrHugepages), "3072");  // not 6144
    EXPECT_EQ(bed.read_undo_log(), "hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\nready\n");
}

TEST_F(HookPrepare, FailureHalfwayUndoesTheStepsAlreadyMade) {
    // The kernel refuses to unbind fbcon from vtcon1, after the pool was raised.
    bed.refuse_writes(kVtcon1Bind);
    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("vtcon1/bind"));
    EXPECT_THAT(writes->take(), ElementsAre(kCompact, kNrHugepages));  // raised, then given back
    EXPECT_EQ(bed.value(kNrHugepages), "0");
    EXPECT_EQ(bed.value(kVtcon1Bind), "1");
    EXPECT_EQ(bed.value(kEfifbUnbind), "");
    EXPECT_FALSE(bed.undo_log_exists());
}

TEST_F(HookPrepare, FramebufferUnbindIsBestEffort) {
    // The boot framebuffer cannot be unbound (on kernel 6.0 and later vfio-pci removes it
    // anyway): the start goes on, and the step is closed so that release leaves it alone.
    std::filesystem::remove(bed.file(kEfifbUnbind));
    std::filesystem::create_directory(bed.file(kEfifbUnbind));
    HookRun hook = run("prepare", "begin", boot_gpu_xml(true));
    ASSERT_EQ(hook.status, 0) << hook.output;
    EXPECT_THAT(hook.output, HasSubstr("warning: could not unbind efi-framebuffer.0"));
    EXPECT_EQ(bed.value(kNrHugepages), "3072");
    EXPECT_EQ(bed.value(kVtcon1Bind), "0");
    EXPECT_EQ(bed.read_undo_log(),
              "hotseat-undo 1\ndo 1 hugepages 2048 0 3072\ndid 1 3072\ndo 2 vtconsole vtcon1\ndid 2\n"
              "do 3 framebuffer efi-framebuffer efi-framebuffer.0\nundo 3\nundid 3\nready\n");
    writes->take();
    HookRun release = run("release", "end");
    EXPECT_EQ(release.status, 0) << release.output;
    EXPECT_THAT(writes->take(), ElementsAre(kVtcon1Bind, kNrHugepages));
}

TEST_F(HookPrepare, HugepagesBeyondTheHostsMemoryAreRefusedBeforeAnyWrite) {
    HookRun hook = run("prepare", "begin", hugepage_xml("64"));
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("more than all of the host's memory"));
    EXPECT_THAT(writes->take(), IsEmpty()) << "not even a compaction";
    EXPECT_FALSE(bed.undo_log_exists());
    // Just under MemTotal is the kernel's to judge (here it gives them all).
    EXPECT_EQ(run("prepare", "begin", hugepage_xml("11")).status, 0);
}

TEST_F(HookPrepare, ForgetsTheReleaseRecordOfTheLastRun) {
    bed.make_runtime_dir();
    write_file(bed.release_record(), "hotseat-release 1\nconsole bound\n");
    ASSERT_EQ(run("prepare", "begin", hugepage_xml()).status, 0);
    EXPECT_FALSE(std::filesystem::exists(bed.release_record())) << "hotseatd would read it after the next stop";
}

TEST_F(HookPrepare, DoctypeIsRefused) {
    std::string xml = "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY big 'x'>]>\n" + hugepage_xml();
    HookRun hook = run("prepare", "begin", xml);
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("DOCTYPE"));
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPrepare, BrokenXmlIsRefused) {
    HookRun hook = run("prepare", "begin", "<domain><name>arch-desktop</name>");
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("not well-formed"));
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPrepare, XmlOverOneMebibyteIsRefused) {
    std::string xml = hugepage_xml();
    xml.insert(xml.find("</domain>"), "<description>" + std::string(1024 * 1024, 'x') + "</description>");
    HookRun hook = run("prepare", "begin", xml);
    EXPECT_EQ(hook.status, 1);
    EXPECT_THAT(hook.output, HasSubstr("larger than 1 MiB"));
    EXPECT_THAT(writes->take(), IsEmpty());
}

TEST_F(HookPrepare, OtherOperationsDoNothing) {
    for (auto [op, subop] : {std::pair{"start", "begin"},
                             {"started", "begin"},
                             {"stopped", "end"},
                             {"migrate", "begin"},
                             {"restore", "begin"}}) {
        HookRun hook = run(op, subop, boot_gpu_xml(true));
        EXPECT_EQ(hook.status, 0) << op;
        EXPECT_EQ(hook.output, "") << op;
    }
    EXPECT_THAT(writes->take(), IsEmpty());
}

}  // namespace
}  // namespace hotseat::test
