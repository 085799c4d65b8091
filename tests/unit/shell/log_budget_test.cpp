// log::LogBudget (supervisor/log_budget.h): how many lines a flood of refusals or guest
// complaints can make hotseatd write, with fake time.
#include <gtest/gtest.h>

#include "log_budget.h"

namespace hotseat::log {
namespace {

constexpr std::uint64_t kSecond = 1'000'000;

int lines_written(LogBudget& budget, std::uint64_t at_us, int attempts) {
    int written = 0;
    for (int i = 0; i < attempts; ++i) {
        std::uint64_t held_back = 0;
        if (budget.take(at_us, held_back)) ++written;
    }
    return written;
}

TEST(LogBudget, ABurstThenNothingUntilTheBucketRefills) {
    LogBudget budget(10, 6 * kSecond);
    EXPECT_EQ(lines_written(budget, 0, 1000), 10);
    EXPECT_EQ(lines_written(budget, 5 * kSecond, 1000), 0);
    EXPECT_EQ(lines_written(budget, 6 * kSecond, 1000), 1);
    EXPECT_EQ(lines_written(budget, 60 * kSecond, 1000), 9);  // 54 s later: 9 more, not 10
}

TEST(LogBudget, TheNextLineWrittenSaysHowManyWereLeftOut) {
    LogBudget budget(1, kSecond);
    std::uint64_t held_back = 99;
    ASSERT_TRUE(budget.take(0, held_back));
    EXPECT_EQ(held_back, 0u);
    EXPECT_EQ(lines_written(budget, 0, 41), 0);
    EXPECT_EQ(budget.held_back(), 41u);
    ASSERT_TRUE(budget.take(kSecond, held_back));
    EXPECT_EQ(held_back, 41u);
    EXPECT_EQ(budget.held_back(), 0u);
}

TEST(LogBudget, AQuietSpellRefillsNoMoreThanTheBurst) {
    LogBudget budget(3, kSecond);
    EXPECT_EQ(lines_written(budget, 0, 3), 3);
    EXPECT_EQ(lines_written(budget, 3600 * kSecond, 100), 3);
}

TEST(LogBudget, TimeGoingBackwardsGivesNothing) {
    LogBudget budget(1, kSecond);
    EXPECT_EQ(lines_written(budget, 10 * kSecond, 1), 1);
    EXPECT_EQ(lines_written(budget, 5 * kSecond, 5), 0);
}

}  // namespace
}  // namespace hotseat::log
