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
/// into a log configured as the lab's (nothing reserved beforehand, no reader running). Each append is timed and
/// the thread's context-switch counts (getrusage RUSAGE_THREAD) are read right before and right after it.
struct RecorderWorstCase
{
    std::vector<qint64> appendNs; ///< the duration of each append (record() with its clock read), ns
    /// The appends that kept their CPU (neither count moved from just before to just after): the recorder's own
    /// cost. The others were preempted by the OS (involuntary) or blocked (voluntary: a lock or the allocator).
    std::vector<qint64> keptCpuNs;
    int threads = 0;
    qint64 events = 0;
    qint64 stored = 0;
    qint64 dropped = 0;
    qint64 involuntarySwitches = 0; ///< the recording threads were preempted this often (rusage)
    qint64 preemptedAppends = 0; ///< appends during which their thread was preempted
    qint64 blockedAppends = 0; ///< appends during which their thread blocked (a voluntary switch), not preempted
    qint64 blockedMaxNs = 0; ///< the slowest of those: the recorder waiting on its slow path (lock, allocation)
    qint64 over100us = 0; ///< appends slower than 100 µs (raw)
    qint64 rawMaxNs = 0; ///< the slowest append, preempted or not
};

/// Records `batches` batches of `batchEvents` events on the calling thread, after one warm-up batch.
RecorderCost measureRecorderCost(int batches, int batchEvents = 1000);
/// Records `events` events split over `threads` threads started together, timing every append.
RecorderWorstCase measureRecorderWorstCase(qint64 events = 1'000'000, int threads = 2);

} // namespace threadlab
