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

struct Switches
{
    qint64 involuntary = 0;
    qint64 voluntary = 0;
};

/// The calling thread's context switches so far: involuntary (preempted) and voluntary (blocked, e.g. on a lock).
Switches switchesOfThisThread()
{
    rusage usage {};
    if (getrusage(RUSAGE_THREAD, &usage) != 0)
        return {};
    return { usage.ru_nivcsw, usage.ru_nvcsw };
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
    std::vector<std::vector<qint64>> own(std::size_t(result.threads), std::vector<qint64>(std::size_t(perThread)));
    std::vector<Switches> totals(std::size_t(result.threads));
    struct Lost
    {
        qint64 preempted = 0;
        qint64 stolen = 0;
        qint64 stolenMaxNs = 0;
        qint64 blocked = 0;
        qint64 blockedMaxNs = 0;
    };
    std::vector<Lost> lost(std::size_t(result.threads));
    std::atomic<int> ready { 0 };
    std::vector<std::thread> pool;
    for (int t = 0; t < result.threads; ++t)
        pool.emplace_back([&, t] {
            std::vector<qint64> &mine = samples[std::size_t(t)];
            std::vector<qint64> &kept = own[std::size_t(t)];
            Lost &l = lost[std::size_t(t)];
            {
                volatile char *warm = new char[4096];
                warm[0] = 1;
                delete[] warm;
            }
            ready.fetch_add(1);
            while (ready.load() < result.threads) { } // start together: both threads append at once
            const Switches first = switchesOfThisThread();
            Switches before = first;
            std::size_t keptCount = 0;
            for (qint64 i = 0; i < perThread; ++i) {
                // The CPU clock brackets the wall clock, so on a thread that kept running cpu >= ns.
                const qint64 c0 = threadCpuNowNs();
                const qint64 t0 = monotonicNowNs();
                log.record(t, EventKind::Progress, i);
                const qint64 ns = monotonicNowNs() - t0;
                const qint64 cpu = threadCpuNowNs() - c0;
                // Read right after every append (outside the timed part); it is the next append's "before".
                const Switches after = switchesOfThisThread();
                mine[std::size_t(i)] = ns;
                if (after.involuntary != before.involuntary) {
                    ++l.preempted;
                } else if (after.voluntary != before.voluntary) {
                    ++l.blocked;
                    l.blockedMaxNs = std::max(l.blockedMaxNs, ns);
                    kept[keptCount++] = ns;
                } else if (ns - cpu > RecorderWorstCase::StolenThresholdNs) {
                    ++l.stolen;
                    l.stolenMaxNs = std::max(l.stolenMaxNs, ns - cpu);
                } else {
                    kept[keptCount++] = ns;
                }
                before = after;
            }
            kept.resize(keptCount);
            totals[std::size_t(t)] = { before.involuntary - first.involuntary, before.voluntary - first.voluntary };
        });
    for (std::thread &th : pool)
        th.join();
    result.appendNs.reserve(std::size_t(result.events));
    for (const auto &s : samples)
        result.appendNs.insert(result.appendNs.end(), s.begin(), s.end());
    for (const auto &k : own)
        result.ownNs.insert(result.ownNs.end(), k.begin(), k.end());
    for (std::size_t t = 0; t < totals.size(); ++t) {
        result.involuntarySwitches += totals[t].involuntary;
        result.preemptedAppends += lost[t].preempted;
        result.stolenAppends += lost[t].stolen;
        result.stolenMaxNs = std::max(result.stolenMaxNs, lost[t].stolenMaxNs);
        result.blockedAppends += lost[t].blocked;
        result.blockedMaxNs = std::max(result.blockedMaxNs, lost[t].blockedMaxNs);
    }
    result.rawMaxNs = *std::max_element(result.appendNs.begin(), result.appendNs.end());
    result.over100us
        = std::count_if(result.appendNs.begin(), result.appendNs.end(), [](qint64 ns) { return ns > 100'000; });
    result.stored = log.size();
    result.dropped = log.dropped();
    return result;
}

} // namespace threadlab
