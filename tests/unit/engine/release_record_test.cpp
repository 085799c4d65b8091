// The release record (include/hotseat/release_record.h): what hotseat-hook writes at `release
// end` and hotseatd reads back. The reader is the daemon's boundary with a file in /run: it takes
// only a well-formed record within its limits.
#include <gtest/gtest.h>

#include "hotseat/release_record.h"

namespace hotseat {
namespace {

TEST(ReleaseRecord, RoundTrips) {
    GpuRelease record{"arch-desktop", {{"0000:00:02.0", "i915"}, {"0000:01:00.0", ""}}, true};
    std::string text = format_release_record(record);
    EXPECT_EQ(text, "hotseat-release 1\ngpu 0000:00:02.0 i915\ngpu 0000:01:00.0 -\nconsole bound\n");
    std::string error;
    auto back = parse_release_record(text, "arch-desktop", &error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(*back, record);
    EXPECT_EQ(release_record_name("arch-desktop"), "arch-desktop.release");
}

TEST(ReleaseRecord, RefusesAnythingElse) {
    const char* bad[] = {
        "",                                                     // empty
        "hotseat-release 1\nconsole bound",                     // cut short
        "hotseat-release 2\nconsole bound\n",                   // another format
        "hotseat-release 1\n",                                  // no console line
        "hotseat-release 1\nconsole bound\nconsole unbound\n",  // twice
        "hotseat-release 1\nconsole maybe\n",
        "hotseat-release 1\ngpu 0000:00:02.0\nconsole bound\n",  // no driver
        "hotseat-release 1\ngpu 00:02.0 i915\nconsole bound\n",  // not a full address
        "hotseat-release 1\ngpu 0000:00:02.0 ../i915\nconsole bound\n",
        "hotseat-release 1\ngpu 0000:00:02.0 i9 15\nconsole bound\n",
        "hotseat-release 1\nexec rm -rf /\nconsole bound\n",
    };
    for (const char* text : bad) {
        std::string error;
        EXPECT_FALSE(parse_release_record(text, "vm", &error)) << text;
        EXPECT_FALSE(error.empty()) << text;
    }
}

TEST(ReleaseRecord, IsBounded) {
    std::string many = "hotseat-release 1\n";
    for (int i = 0; i <= 64; ++i) many += "gpu 0000:00:02.0 i915\n";
    std::string error;
    EXPECT_FALSE(parse_release_record(many + "console bound\n", "vm", &error));
    EXPECT_EQ(error, "line 66: too many gpu lines");
    std::string huge = "hotseat-release 1\n" + std::string(20000, 'x') + "\nconsole bound\n";
    EXPECT_FALSE(parse_release_record(huge, "vm", &error));
    EXPECT_NE(error.find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace hotseat
