#include <gtest/gtest.h>

#include "guest/line_reader.h"

namespace hotseat::guest {
namespace {

std::vector<std::string> render(const std::vector<LineChunk>& chunks) {
    std::vector<std::string> out;
    for (const auto& c : chunks) out.push_back(c.oversized ? "<oversized>" : c.line);
    return out;
}

TEST(LineReader, SplitsAcrossReads) {
    LineReader r(16);
    EXPECT_EQ(render(r.feed("ab")), std::vector<std::string>{});
    EXPECT_EQ(render(r.feed("c\nde\n\nf")), (std::vector<std::string>{"abc", "de", ""}));
    EXPECT_EQ(render(r.feed("\n")), std::vector<std::string>{"f"});
}

TEST(LineReader, OversizedLineIsReportedOnceAndSkippedToTheNextNewline) {
    LineReader r(8);
    EXPECT_EQ(render(r.feed("123456789")), std::vector<std::string>{"<oversized>"});
    EXPECT_EQ(render(r.feed(std::string(100000, 'x'))), std::vector<std::string>{});
    EXPECT_EQ(render(r.feed("tail\nok\n")), std::vector<std::string>{"ok"});
}

TEST(LineReader, ExactlyTheLimitIsAccepted) {
    LineReader r(4);
    EXPECT_EQ(render(r.feed("abcd\nabcde\nz\n")), (std::vector<std::string>{"abcd", "<oversized>", "z"}));
}

}  // namespace
}  // namespace hotseat::guest
