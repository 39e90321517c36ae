// The one clock of ThreadLab: CLOCK_MONOTONIC in nanoseconds, the same clock a worker-host process reads.
#pragma once

#include <QtGlobal>
#include <ctime>

namespace threadlab {

/// Absolute CLOCK_MONOTONIC time in ns (comparable across processes on this machine).
inline qint64 monotonicNowNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// CPU time consumed by the calling thread, in ns.
inline qint64 threadCpuNowNs() noexcept
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace threadlab
