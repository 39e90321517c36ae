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
/// into a log configured as the lab's (nothing reserved beforehand, no reader running). Each append is timed on
/// the wall clock; right around it the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) and its context-switch counts
/// (getrusage RUSAGE_THREAD) are read, which tells the recorder's own time from time the thread lost its CPU.
struct RecorderWorstCase
{
    std::vector<qint64> appendNs; ///< the duration of each append (record() with its clock read), ns
    /// The recorder's own cost: every append except those during which the thread lost its CPU to someone else,
    /// i.e. was preempted by the OS (an involuntary switch) or, with no switch at all, stopped running for more
    /// than StolenThresholdNs (the wall clock ran on, the thread's CPU clock did not: the hypervisor ran another
    /// guest, "steal time"). Appends that blocked (a voluntary switch: a lock, the allocator) stay in: waiting is
    /// the recorder's own doing.
    std::vector<qint64> ownNs;
    static constexpr qint64 StolenThresholdNs = 20'000;
    int threads = 0;
    qint64 events = 0;
    qint64 stored = 0;
    qint64 dropped = 0;
    qint64 involuntarySwitches = 0; ///< the recording threads were preempted this often (rusage)
    qint64 preemptedAppends = 0; ///< appends during which their thread was preempted
    qint64 stolenAppends = 0; ///< appends during which their thread stopped running without a switch
    qint64 stolenMaxNs = 0; ///< the most time one append lost that way (wall time minus its thread's CPU time)
    qint64 blockedAppends = 0; ///< appends during which their thread blocked (a voluntary switch), in ownNs
    qint64 blockedMaxNs = 0; ///< the slowest of those
    qint64 over100us = 0; ///< appends slower than 100 µs (raw)
    qint64 rawMaxNs = 0; ///< the slowest append, whatever happened during it
};

/// Records `batches` batches of `batchEvents` events on the calling thread, after one warm-up batch.
RecorderCost measureRecorderCost(int batches, int batchEvents = 1000);
/// Records `events` events split over `threads` threads started together, timing every append.
RecorderWorstCase measureRecorderWorstCase(qint64 events = 1'000'000, int threads = 2);

} // namespace threadlab
