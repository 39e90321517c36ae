// Bounded store of every event of a lab session: lock-free, copy-free appends from any thread.
#pragma once

#include "base/event.h"

#include <QtGlobal>
#include <memory>

namespace threadlab {

class EventStore;

/// Each recording thread appends to its own buffer (single producer) made of fixed-size chunks that are
/// allocated and touched before use, so an append takes no lock, copies nothing and never regrows a list.
/// The log is bounded in count (`capacity`) and in bytes (`maxBytes`, counting each stored event, its index
/// entries and its detail text); what does not fit is dropped and counted, never blocking the recorder.
/// Details longer than MaxDetailChars are cut and end with a visible "… [truncated, N chars]" mark.
/// Threads reserve slots in small grains (shrinking as the budget runs out) and may write a bounded overdraft
/// (at most 64 chunks) past the capacity, so that slots an idle thread still holds never cause an early drop;
/// readers keep the first `capacity` events in merged order and count the rest as dropped. Hence size() is
/// min(capacity, offered) and size() + dropped() the events offered, exactly (unless idle threads hold more
/// than the overdraft). Memory: at most (capacity + overdraft) / ChunkEvents chunks, plus one partly filled
/// per buffer, plus 32 touched spares (256 in logs of ≥ 1M events: fed by a thread the log starts and joins).
///
/// Order: readers take the new events of every thread buffer at once and merge them by time (a thread's own
/// events keep their recording order). takeNew() hands out these merged batches one after the other; all()
/// is the concatenation of every batch ever merged and forWorker(w) is exactly all() filtered to w, so an
/// observer folding takeNew() batches sees the same order as one reading all(). Events of different threads
/// that land in different batches are not re-sorted across batches (a late recordAt stays late).
///
/// Buffers of exited threads go back to a free list and are reused by the next new thread, so thousands of
/// short-lived workers use as many buffers as there were threads recording at the same time.
class EventLog
{
public:
    static constexpr qsizetype DefaultCapacity = 2'000'000;
    static constexpr qsizetype DefaultMaxBytes = qsizetype(192) << 20;
    static constexpr qsizetype MaxDetailChars = 1000;
    /// Events per chunk (the unit of allocation of a thread buffer): 12 KiB, three pages. Small, because a
    /// recorder that finds no touched spare allocates one itself, inside its append: on a VM whose freed memory goes
    /// back to the host, each fresh page can cost tens of µs, and 12 pages (1024 events) made one append take
    /// 170 µs.
    static constexpr qsizetype ChunkEvents = 256;
    /// Touched spare chunks kept ready by the feeder of a lab-sized log (3 MiB).
    static constexpr qsizetype FedSpareChunks = 256;
    /// Bytes one stored event costs against maxBytes without its detail text: the event and its two index
    /// entries (merged order, per worker).
    static constexpr qsizetype SlotBytes = qsizetype(sizeof(Event)) + 2 * qsizetype(sizeof(const Event *));

    explicit EventLog(qsizetype capacity = DefaultCapacity, qsizetype maxBytes = DefaultMaxBytes);
    ~EventLog();
    Q_DISABLE_COPY_MOVE(EventLog)

    /// Records an event stamped now (CLOCK_MONOTONIC). Lock-free, except a thread's first record into this log.
    void record(int worker, EventKind kind, qint64 value = 0);
    /// The same with a detail text (cut at MaxDetailChars).
    void record(int worker, EventKind kind, qint64 value, const QString &detail);
    /// Records an event with a timestamp taken elsewhere (e.g. by a worker-host process).
    void recordAt(qint64 tNs, int worker, EventKind kind, qint64 value = 0, const QString &detail = {});

    /// Events recorded since the previous call (for batching observers), in the order described above.
    EventList takeNew();
    /// Every stored event (the concatenation of every merged batch).
    EventList all() const;
    /// Every stored event of one worker, in the order of all(); read from a per-worker index, no scan.
    EventList forWorker(int worker) const;

    /// Number of stored events (what all() returns now).
    qsizetype size() const;
    qsizetype capacity() const { return m_capacity; }
    qsizetype maxBytes() const { return m_maxBytes; }
    /// How many events were dropped because the log was full (in count or in bytes); exact at the call.
    qint64 dropped() const;
    /// Bytes the stored events take against maxBytes (events, index entries and detail text).
    qsizetype bytes() const;

    /// Allocates and touches chunks for `events` more events now (bounded by the capacity), so that the
    /// next appends do not allocate or page-fault (benchmarks, or before a burst).
    void reserve(qsizetype events);
    /// How many thread buffers exist (bounded by the threads recording at the same time).
    qsizetype threadBuffers() const;
    /// How many chunks are allocated (in thread buffers and in the pool of touched spares).
    qsizetype chunks() const;

private:
    const qsizetype m_capacity;
    const qsizetype m_maxBytes;
    const quint64 m_serial; ///< unique per log, never reused: keys the per-thread buffer cache
    std::shared_ptr<EventStore> m_store; ///< shared with exiting threads, which hand their buffer back
};

} // namespace threadlab
