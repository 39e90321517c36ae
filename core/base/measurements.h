// The stop latencies of a worker (computed only by WorkerFold), plus percentile statistics and duration words.
#pragma once

#include "event.h"

#include <optional>
#include <vector>

namespace threadlab {

/// Stop latencies of one worker, in ns; empty where the figure does not apply. Only WorkerFold::latencies()
/// computes them (model/workerfold.h): every view, export and lesson reads that one derivation.
struct Latencies
{
    std::optional<qint64> observed; ///< stop-observed − stop-requested
    std::optional<qint64> exited; ///< exited − stop-requested
    std::optional<qint64> joined; ///< joined − stop-requested
    std::optional<qint64> kill; ///< end − the last kill sent, only when the kill took effect
    std::optional<qint64> cleanup; ///< cleanup-end − cleanup-begin
};

/// p50/p90/p99/max of a sample, in ns (nearest-rank percentiles).
struct Percentiles
{
    qsizetype count = 0;
    qint64 p50 = 0;
    qint64 p90 = 0;
    qint64 p99 = 0;
    qint64 max = 0;
    qint64 min = 0;
};

Percentiles percentiles(std::vector<qint64> samples);

/// "4.1 µs", "38 ms", "812 ns", "2.5 s", "1.2 min": adaptive units for a duration in ns.
QString formatDuration(qint64 ns);

} // namespace threadlab
