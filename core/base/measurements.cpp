// Percentile statistics and duration formatting (the latencies themselves come from WorkerFold).
#include "measurements.h"

#include <algorithm>
#include <cmath>

namespace threadlab {

Percentiles percentiles(std::vector<qint64> samples)
{
    Percentiles p;
    p.count = qsizetype(samples.size());
    if (samples.empty())
        return p;
    std::sort(samples.begin(), samples.end());
    const auto rank = [&](double q) {
        const auto n = samples.size();
        auto idx = size_t(std::ceil(q * double(n)));
        idx = std::clamp<size_t>(idx, 1, n);
        return samples[idx - 1];
    };
    p.p50 = rank(0.50);
    p.p90 = rank(0.90);
    p.p99 = rank(0.99);
    p.max = samples.back();
    p.min = samples.front();
    return p;
}

QString formatDuration(qint64 ns)
{
    const double v = double(ns);
    const double a = std::abs(v);
    if (a < 1e3)
        return QString::number(ns) + QStringLiteral(" ns");
    if (a < 1e6)
        return QString::number(v / 1e3, 'f', a < 1e4 ? 2 : 1) + QStringLiteral(" µs");
    if (a < 1e9)
        return QString::number(v / 1e6, 'f', a < 1e7 ? 2 : 1) + QStringLiteral(" ms");
    if (a < 60e9)
        return QString::number(v / 1e9, 'f', 2) + QStringLiteral(" s");
    return QString::number(v / 60e9, 'f', 1) + QStringLiteral(" min");
}

} // namespace threadlab
