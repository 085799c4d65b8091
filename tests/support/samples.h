// Order statistics over measured samples, shared by the benchmarks' report (bench/report.h) and
// the latency figures the integration tests print (tests/integration/input/test_key_latency.cpp).
#pragma once

#include <vector>

namespace hotseat::test {

// The sample at `fraction` of the sorted samples, nearest rank (0: the smallest, 1: the largest,
// 0.99: p99); NaN when there are none.
double percentile(std::vector<double> samples, double fraction);
// The middle sample, or the mean of the two middle ones; NaN when there are none.
double median(std::vector<double> samples);

}  // namespace hotseat::test
