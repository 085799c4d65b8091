// The hook's parsers, in-process: the domain XML, libvirt memory units, the undo log.
#include <gmock/gmock.h>

#include "domain_xml.h"
#include "memory_units.h"
#include "undo_log.h"

namespace hotseat::hook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::optional<DomainNeeds> parse(const std::string& xml, std::string* error) { return parse_domain_xml(xml, error); }

std::string domain(const std::string& inner) { return "<domain type='kvm'><name>vm</name>" + inner + "</domain>"; }

TEST(DomainXml, HugepagesCoverAllOfMemoryInDefaultPages) {
    std::string error;
    auto needs = parse(domain("<memory unit='KiB'>6291456</memory><memoryBacking><hugepages/></memoryBacking>"),
                       &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_EQ(needs->name, "vm");
    ASSERT_TRUE(needs->hugepages);
    EXPECT_EQ(needs->hugepages->page_kib, 2048u);
    EXPECT_EQ(needs->hugepages->pages, 3072u);
}

TEST(DomainXml, PartialPageRoundsUpAndUnitDefaultsToKiB) {
    std::string error;
    auto needs = parse(domain("<memory>3072</memory><memoryBacking><hugepages/></memoryBacking>"), &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_EQ(needs->hugepages->pages, 2u);  // 3 MiB in 2 MiB pages
}

TEST(DomainXml, PageSizeAndUnitsFromTheXml) {
    std::string error;
    auto needs = parse(domain("<memory unit='G'>8</memory><memoryBacking><hugepages>"
                              "<page size='1048576' nodeset='0'/></hugepages></memoryBacking>"),
                       &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_EQ(needs->hugepages->page_kib, 1048576u);
    EXPECT_EQ(needs->hugepages->pages, 8u);
}

TEST(DomainXml, CurrentMemoryWhenMemoryIsMissing) {
    std::string error;
    auto needs = parse(domain("<currentMemory unit='MiB'>4096</currentMemory><memoryBacking><hugepages/>"
                              "</memoryBacking>"),
                       &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_EQ(needs->hugepages->pages, 2048u);
}

TEST(DomainXml, SeveralPageSizesAreLeftAloneAndSaidSo) {
    std::string error;
    auto needs = parse(domain("<memory>4194304</memory><memoryBacking><hugepages><page size='2048' nodeset='0'/>"
                              "<page size='1' unit='GiB' nodeset='1'/></hugepages></memoryBacking>"),
                       &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_FALSE(needs->hugepages);
    EXPECT_THAT(needs->ignored, ElementsAre(HasSubstr("several sizes")));
}

TEST(DomainXml, NoHugepagesWithoutMemoryBacking) {
    std::string error;
    auto needs = parse(domain("<memory>4194304</memory>"), &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_FALSE(needs->hugepages);
}

TEST(DomainXml, HugepagesWithoutMemoryIsAnError) {
    std::string error;
    EXPECT_FALSE(parse(domain("<memoryBacking><hugepages/></memoryBacking>"), &error));
    EXPECT_THAT(error, HasSubstr("no <memory>"));
    EXPECT_FALSE(parse(domain("<memory unit='parsecs'>1</memory><memoryBacking><hugepages/></memoryBacking>"), &error));
    EXPECT_THAT(error, HasSubstr("unknown memory unit 'parsecs'"));
}

TEST(DomainXml, PciHostdevAddressesHexOrDecimal) {
    std::string error;
    auto needs = parse(domain("<devices>"
                              "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x00' "
                              "slot='0x02' function='0x0'/></source></hostdev>"
                              "<hostdev mode='subsystem' type='pci'><source><address bus='1' slot='0' "
                              "function='1'/></source></hostdev>"
                              "<hostdev mode='subsystem' type='usb'><source><vendor id='0x046d'/></source></hostdev>"
                              "<hostdev mode='subsystem' type='pci'><source><address bus='0x00' slot='0x99' "
                              "function='0'/></source></hostdev>"
                              "</devices>"),
                       &error);
    ASSERT_TRUE(needs) << error;
    EXPECT_THAT(needs->pci_devices, ElementsAre("0000:00:02.0", "0000:01:00.1"));
    EXPECT_THAT(needs->ignored, ElementsAre(HasSubstr("without a readable source address")));
}

TEST(DomainXml, RefusesDoctypeEntitiesAndOtherRoots) {
    std::string error;
    EXPECT_FALSE(parse("<!DOCTYPE domain SYSTEM 'http://example.com/x.dtd'><domain/>", &error));
    EXPECT_THAT(error, HasSubstr("DOCTYPE"));
    EXPECT_FALSE(parse("<domain><name>&ent;</name></domain>", &error));
    EXPECT_THAT(error, HasSubstr("not well-formed"));
    EXPECT_FALSE(parse("<network><name>default</name></network>", &error));
    EXPECT_THAT(error, HasSubstr("not a <domain>"));
    EXPECT_FALSE(parse("", &error));
}

TEST(DomainXml, RefusesMoreThanOneMebibyte) {
    std::string error;
    std::string xml = domain("<description>" + std::string(kMaxDomainXmlBytes, 'x') + "</description>");
    EXPECT_FALSE(parse(xml, &error));
    EXPECT_THAT(error, HasSubstr("larger than 1 MiB"));
}

TEST(MemoryUnits, AsLibvirtReadsThem) {
    std::string error;
    EXPECT_EQ(to_bytes("1", "b", &error), 1u);
    EXPECT_EQ(to_bytes("2", "bytes", &error), 2u);
    EXPECT_EQ(to_bytes("1", "KB", &error), 1000u);
    EXPECT_EQ(to_bytes("1", "k", &error), 1024u);
    EXPECT_EQ(to_bytes("1", "KiB", &error), 1024u);
    EXPECT_EQ(to_bytes("3", "MiB", &error), 3u << 20);
    EXPECT_EQ(to_bytes("1", "gb", &error), 1000000000u);
    EXPECT_EQ(to_bytes("6", "G", &error), 6ull << 30);
    EXPECT_EQ(to_bytes("1", "EiB", &error), 1ull << 60);
    EXPECT_FALSE(to_bytes("16", "EiB", &error));
    EXPECT_THAT(error, HasSubstr("too large"));
    EXPECT_FALSE(to_bytes("-1", "KiB", &error));
    EXPECT_FALSE(to_bytes("1.5", "GiB", &error));
    EXPECT_FALSE(to_bytes("1", "KiBB", &error));
}

TEST(UndoLog, RecordsReadBackAsTheyWereWritten) {
    Step pages;
    pages.id = 1;
    pages.kind = StepKind::Hugepages;
    pages.page_kib = 2048, pages.old_pages = 10, pages.target_pages = 20, pages.got_pages = 20;
    pages.undo_from = 25, pages.undo_to = 15;
    Step fb;
    fb.id = 2;
    fb.kind = StepKind::Framebuffer;
    fb.driver = "efi-framebuffer", fb.name = "efi-framebuffer.0";
    std::string text = std::string(kUndoLogHeader) + "\n" + do_record(pages) + "\n" + did_record(pages) + "\n" +
                       do_record(fb) + "\n" + "ready\n" + undo_record(pages) + "\n";
    std::string error;
    auto log = parse_undo_log(text, &error);
    ASSERT_TRUE(log) << error;
    ASSERT_EQ(log->steps.size(), 2u);
    EXPECT_TRUE(log->ready);
    EXPECT_TRUE(log->undo_started());
    const Step& read_pages = log->steps[0];
    EXPECT_EQ(read_pages.state, StepState::Undoing);
    EXPECT_EQ(read_pages.old_pages, 10u);
    EXPECT_EQ(read_pages.target_pages, 20u);
    EXPECT_EQ(read_pages.got_pages, 20u);
    EXPECT_EQ(read_pages.undo_from, 25u);
    EXPECT_EQ(read_pages.undo_to, 15u);
    EXPECT_EQ(log->steps[1].state, StepState::Pending);
    EXPECT_EQ(log->steps[1].driver, "efi-framebuffer");
    EXPECT_EQ(log->steps[1].name, "efi-framebuffer.0");
}

TEST(UndoLog, LineCutByACrashIsIgnored) {
    std::string error;
    auto log = parse_undo_log("hotseat-undo 1\ndo 1 vtconsole vtcon1\ndid", &error);
    ASSERT_TRUE(log) << error;
    EXPECT_TRUE(log->torn_tail);
    ASSERT_EQ(log->steps.size(), 1u);
    EXPECT_EQ(log->steps[0].state, StepState::Pending);
    auto header_only = parse_undo_log("hotseat-un", &error);
    ASSERT_TRUE(header_only);
    EXPECT_TRUE(header_only->empty());
}

TEST(UndoLog, DamageIsAnErrorWithItsLine) {
    std::string error;
    EXPECT_FALSE(parse_undo_log("something else\n", &error));
    EXPECT_EQ(error, "line 1: not a hotseat undo log");
    EXPECT_FALSE(parse_undo_log("hotseat-undo 1\ndo 1 vtconsole vtcon1\ndo 1 vtconsole vtcon2\n", &error));
    EXPECT_EQ(error, "line 3: step 1 appears twice");
    EXPECT_FALSE(parse_undo_log("hotseat-undo 1\ndid 4\n", &error));
    EXPECT_EQ(error, "line 2: no step 4");
    EXPECT_FALSE(parse_undo_log("hotseat-undo 1\ndo 1 vtconsole vtcon1\nundid 1\n", &error));
    EXPECT_EQ(error, "line 3: undid without undo");
    EXPECT_FALSE(parse_undo_log("hotseat-undo 1\ndo 1 hugepages 2048 10 5\n", &error));
    EXPECT_EQ(error, "line 2: bad hugepages step");
    EXPECT_FALSE(parse_undo_log("hotseat-undo 1\ndo 1 vtconsole vtcon1 extra\n", &error));
    EXPECT_FALSE(parse_undo_log("hotseat-undo 1\n\n", &error));
}

TEST(UndoLog, RecordTokensHaveNoSpaces) {
    EXPECT_TRUE(is_record_token("efi-framebuffer.0"));
    EXPECT_FALSE(is_record_token(""));
    EXPECT_FALSE(is_record_token("two words"));
    EXPECT_FALSE(is_record_token("tab\there"));
}

}  // namespace
}  // namespace hotseat::hook
