// Measures the event recorder on this machine: the cost per event and the slowest single append.
#include "recorderbench.h"

#include "base/clock.h"
#include "eventlog.h"

#include <algorithm>
#include <atomic>
#include <sys/resource.h>
#include <thread>

namespace threadlab {

namespace {

constexpr qint64 SlowAppendNs = 5'000; ///< appends slower than this are checked for a preemption

qint64 involuntarySwitchesOfThisThread()
{
    rusage usage {};
    if (getrusage(RUSAGE_THREAD, &usage) != 0)
        return 0;
    return usage.ru_nivcsw;
}

/// Every context switch of the calling thread: involuntary (preempted) and voluntary (blocked, e.g. on a lock).
qint64 switchesOfThisThread()
{
    rusage usage {};
    if (getrusage(RUSAGE_THREAD, &usage) != 0)
        return 0;
    return usage.ru_nivcsw + usage.ru_nvcsw;
}

} // namespace

RecorderCost measureRecorderCost(int batches, int batchEvents)
{
    RecorderCost cost;
    cost.batchEvents = std::max(1, batchEvents);
    batches = std::max(1, batches);
    const qsizetype total = qsizetype(batches + 1) * cost.batchEvents;
    EventLog log(total + EventLog::ChunkEvents);
    log.reserve(total + EventLog::ChunkEvents);
    // Warm-up batch: takes this thread's buffer and brings the code and the clock's page into cache.
    for (int i = 0; i < cost.batchEvents; ++i)
        log.record(1, EventKind::Progress, i);
    cost.perEventPs.reserve(std::size_t(batches));
    for (int b = 0; b < batches; ++b) {
        const qint64 t0 = monotonicNowNs();
        for (int i = 0; i < cost.batchEvents; ++i)
            log.record(1, EventKind::Progress, i);
        cost.perEventPs.push_back((monotonicNowNs() - t0) * 1000 / cost.batchEvents);
    }
    return cost;
}

RecorderWorstCase measureRecorderWorstCase(qint64 events, int threads)
{
    RecorderWorstCase result;
    result.threads = std::max(1, threads);
    result.events = std::max<qint64>(result.threads, events);
    const qint64 perThread = result.events / result.threads;
    result.events = perThread * result.threads;
    EventLog log; // as the lab makes it: default capacity, nothing reserved
    // Samples are written into memory touched beforehand, so the timing buffers do not page-fault.
    std::vector<std::vector<qint64>> samples(std::size_t(result.threads), std::vector<qint64>(std::size_t(perThread)));
    std::vector<qint64> switches(std::size_t(result.threads), 0);
    std::vector<qint64> worstClean(std::size_t(result.threads), 0);
    std::atomic<int> ready { 0 };
    std::vector<std::thread> pool;
    for (int t = 0; t < result.threads; ++t)
        pool.emplace_back([&, t] {
            std::vector<qint64> &mine = samples[std::size_t(t)];
            {
                volatile char *warm = new char[4096];
                warm[0] = 1;
                delete[] warm;
            }
            ready.fetch_add(1);
            while (ready.load() < result.threads) { } // start together: both threads append at once
            const qint64 switches0 = involuntarySwitchesOfThisThread();
            qint64 checked = switchesOfThisThread();
            qint64 clean = 0;
            for (qint64 i = 0; i < perThread; ++i) {
                const qint64 t0 = monotonicNowNs();
                log.record(t, EventKind::Progress, i);
                const qint64 ns = monotonicNowNs() - t0;
                mine[std::size_t(i)] = ns;
                if (ns > SlowAppendNs) {
                    // Only slow appends pay for getrusage; no context switch since the previous check means
                    // this append ran on the CPU from start to end (not preempted, not blocked).
                    const qint64 now = switchesOfThisThread();
                    if (now == checked)
                        clean = std::max(clean, ns);
                    checked = now;
                }
            }
            switches[std::size_t(t)] = involuntarySwitchesOfThisThread() - switches0;
            worstClean[std::size_t(t)] = clean;
        });
    for (std::thread &th : pool)
        th.join();
    result.appendNs.reserve(std::size_t(result.events));
    for (const auto &s : samples)
        result.appendNs.insert(result.appendNs.end(), s.begin(), s.end());
    for (qint64 s : switches)
        result.involuntarySwitches += s;
    result.worstNotPreemptedNs = *std::max_element(worstClean.begin(), worstClean.end());
    result.over100us
        = std::count_if(result.appendNs.begin(), result.appendNs.end(), [](qint64 ns) { return ns > 100'000; });
    result.stored = log.size();
    result.dropped = log.dropped();
    return result;
}

} // namespace threadlab
