// Thread-safe, bounded store of every event of a lab session; cheap to append from any thread.
#pragma once

#include "base/event.h"

#include <QMutex>
#include <atomic>

namespace threadlab {

/// Appends are a short critical section (no allocation once the storage has grown); when the
/// capacity is reached further events are dropped and counted, never blocking the worker.
class EventLog
{
public:
    explicit EventLog(qsizetype capacity = 2'000'000);
    Q_DISABLE_COPY_MOVE(EventLog)

    /// Records an event stamped now (CLOCK_MONOTONIC).
    void record(int worker, EventKind kind, qint64 value = 0, const QString &detail = {});
    /// Records an event with a timestamp taken elsewhere (e.g. by a worker-host process).
    void recordAt(qint64 tNs, int worker, EventKind kind, qint64 value = 0, const QString &detail = {});

    /// Events recorded since the previous call (for batching observers).
    EventList takeNew();
    /// Every stored event, in recording order.
    EventList all() const;
    /// Every stored event of one worker, in recording order.
    EventList forWorker(int worker) const;

    qsizetype size() const;
    qsizetype capacity() const { return m_capacity; }
    /// How many events were dropped because the log was full.
    qint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }

private:
    mutable QMutex m_mutex;
    EventList m_events;
    qsizetype m_delivered = 0;
    const qsizetype m_capacity;
    std::atomic<qint64> m_dropped { 0 };
};

} // namespace threadlab
