#include "samples.h"

#include <algorithm>
#include <cmath>

namespace hotseat::test {

double percentile(std::vector<double> samples, double fraction) {
    if (samples.empty()) return NAN;
    std::sort(samples.begin(), samples.end());
    auto i = static_cast<std::size_t>(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(i, samples.size() - 1)];
}

double median(std::vector<double> samples) {
    if (samples.empty()) return NAN;
    std::sort(samples.begin(), samples.end());
    return (samples[(samples.size() - 1) / 2] + samples[samples.size() / 2]) / 2;
}

}  // namespace hotseat::test
