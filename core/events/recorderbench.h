// Measures the event recorder on this machine: the cost per event and the slowest single append.
#pragma once

#include <QtGlobal>
#include <vector>

namespace threadlab {

/// `recorder.event`: record() in steady state (buffer chunks allocated and touched beforehand).
struct RecorderCost
{
    std::vector<qint64> perEventPs; ///< one sample per batch: picoseconds per event (ns × 1000)
    int batchEvents = 0;
};

/// `recorder.worst-1m`: every single append of `events` events recorded by `threads` threads at once
/// into a log configured as the lab's (nothing reserved beforehand, no reader running).
struct RecorderWorstCase
{
    std::vector<qint64> appendNs; ///< the duration of each append (record() with its clock read), ns
    int threads = 0;
    qint64 events = 0;
    qint64 stored = 0;
    qint64 dropped = 0;
    qint64 involuntarySwitches = 0; ///< the recording threads were preempted this often (rusage)
    qint64 over100us = 0; ///< appends slower than 100 µs
    /// The slowest append during which the thread certainly kept its CPU (no context switch since the previous
    /// check): what the recorder itself costs at worst, without the scheduler's share.
    qint64 worstNotPreemptedNs = 0;
};

/// Records `batches` batches of `batchEvents` events on the calling thread, after one warm-up batch.
RecorderCost measureRecorderCost(int batches, int batchEvents = 1000);
/// Records `events` events split over `threads` threads started together, timing every append.
RecorderWorstCase measureRecorderWorstCase(qint64 events = 1'000'000, int threads = 2);

} // namespace threadlab
