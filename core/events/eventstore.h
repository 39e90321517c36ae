// The store behind an EventLog (internal to core/events): the budget, the pool of chunks, the feeder and the
// readers' merge. Only eventlog.cpp (and white-box tests) include it; the append's fast path stays inline here.
#pragma once

#include "eventbuffers.h"
#include "eventlog.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

namespace threadlab::eventbuffers {

inline constexpr qsizetype ChunkEvents = EventLog::ChunkEvents;
inline constexpr qsizetype SlotBytes = EventLog::SlotBytes;
inline constexpr qsizetype PoolTarget = 32; ///< touched spare chunks a reader keeps ready for the recorders
/// Logs this large (the lab's) get a feeder thread that keeps FedPoolTarget chunks touched ahead of the
/// recorders, so a recorder never allocates or page-faults (in a busy machine the page allocator may stall
/// for milliseconds in reclaim); smaller logs (a host's, a spawned child's, a benchmark's) allocate inline.
inline constexpr qsizetype FeederMinCapacity = 1'000'000;
inline constexpr qsizetype FedPoolTarget = EventLog::FedSpareChunks; ///< 64K events of headroom per wake-up
inline constexpr qsizetype ConstructorChunks = 2; ///< logs are made per spawned child too: keep construction cheap
/// Slots threads may write beyond the capacity, so that reservations idle threads still hold never cause an
/// early drop; readers keep exactly the first `capacity` events and count the rest as dropped.
inline constexpr qsizetype MaxOverdraft = 64 * 1024;

inline qsizetype overdraftFor(qsizetype capacity)
{
    return std::clamp<qsizetype>(capacity, 0, MaxOverdraft);
}

inline qsizetype detailBytes(const QString &detail)
{
    return detail.size() * qsizetype(sizeof(QChar));
}

inline QString boundedDetail(const QString &detail)
{
    if (detail.size() <= EventLog::MaxDetailChars)
        return detail;
    return detail.left(EventLog::MaxDetailChars) + QStringLiteral("… [truncated, %1 chars]").arg(detail.size());
}

} // namespace threadlab::eventbuffers

namespace threadlab {

/// The state of one EventLog. Shared (weakly) with the threads that record into it, so that a thread
/// exiting after its log died does nothing and a log dying after its threads frees everything.
class EventStore
{
    using Chunk = eventbuffers::Chunk;
    using Producer = eventbuffers::Producer;
    static constexpr qsizetype ChunkEvents = eventbuffers::ChunkEvents;
    static constexpr qsizetype SlotBytes = eventbuffers::SlotBytes;
    static constexpr qsizetype PoolTarget = eventbuffers::PoolTarget;
    static constexpr qsizetype FeederMinCapacity = eventbuffers::FeederMinCapacity;
    static constexpr qsizetype FedPoolTarget = eventbuffers::FedPoolTarget;
    static constexpr qsizetype ConstructorChunks = eventbuffers::ConstructorChunks;
    static qsizetype overdraftFor(qsizetype capacity) { return eventbuffers::overdraftFor(capacity); }
    static qsizetype detailBytes(const QString &detail) { return eventbuffers::detailBytes(detail); }
    static QString boundedDetail(const QString &detail) { return eventbuffers::boundedDetail(detail); }

public:
    EventStore(qsizetype capacity, qsizetype maxBytes)
        : m_capacity(capacity)
        , m_slotsLeft(std::max<qsizetype>(0, capacity) + overdraftFor(capacity))
        , m_bytesLeft(std::max<qsizetype>(0, maxBytes))
    {
        allocateSpares(std::min<qsizetype>(ConstructorChunks, maxChunksFor(0)));
        if (capacity >= FeederMinCapacity) {
            m_poolTarget = FedPoolTarget;
            m_feeder = std::thread([this] { feed(); });
        }
    }
    ~EventStore()
    {
        if (m_feeder.joinable()) {
            m_feedState.fetch_or(FeedStop, std::memory_order_acq_rel);
            m_feedState.notify_one();
            m_feeder.join();
        }
        for (Producer *p = m_producers.load(std::memory_order_acquire); p;) {
            for (Chunk *c = p->head; c;) {
                Chunk *next = c->next.load(std::memory_order_relaxed);
                delete c;
                c = next;
            }
            Producer *next = p->nextProducer;
            delete p;
            p = next;
        }
        for (Chunk *c = m_poolHead.load(std::memory_order_acquire); c;) {
            Chunk *next = c->poolNext;
            delete c;
            c = next;
        }
    }
    Q_DISABLE_COPY_MOVE(EventStore)

    // ---- recording side ----

    /// A buffer for the calling thread: a free one (of an exited thread) or a new one.
    Producer *acquire()
    {
        m_live.fetch_add(1, std::memory_order_relaxed);
        {
            std::lock_guard lock(m_mutex);
            if (!m_free.empty()) {
                Producer *p = m_free.back();
                m_free.pop_back();
                return p;
            }
        }
        Chunk *first = takeChunk(); // may allocate: outside the lock, other threads' first records go on
        std::lock_guard lock(m_mutex);
        auto *p = new Producer(first, m_producerCount++);
        p->nextProducer = m_producers.load(std::memory_order_relaxed);
        m_producers.store(p, std::memory_order_release);
        return p;
    }

    /// The thread of `p` exits: its unused reservation goes back to the budget, the buffer to the free list.
    void release(Producer *p)
    {
        std::lock_guard lock(m_mutex);
        giveBack(p);
        m_free.push_back(p);
        m_live.fetch_sub(1, std::memory_order_relaxed);
    }

    /// For a thread whose buffer table is already destroyed (recording from a thread_local destructor):
    /// one shared buffer used under a mutex.
    void appendFallback(qint64 t, int worker, EventKind kind, qint64 value, const QString &detail)
    {
        std::lock_guard lock(m_fallbackMutex);
        if (!m_fallback)
            m_fallback = acquire();
        append(m_fallback, t, worker, kind, value, detail);
    }

    /// The append: the fast path inline, everything else (new reservation, new chunk, detail, drop) here.
    void append(Producer *p, qint64 t, int worker, EventKind kind, qint64 value, const QString &detail)
    {
        if (Q_LIKELY(p->writable > 0 && detail.isEmpty())) {
            write(p, t, worker, kind, value);
            return;
        }
        appendSlow(p, t, worker, kind, value, detail);
    }

    /// append() without a detail: the fast path tests only the room left.
    void appendPlain(Producer *p, qint64 t, int worker, EventKind kind, qint64 value)
    {
        if (Q_LIKELY(p->writable > 0)) {
            write(p, t, worker, kind, value);
            return;
        }
        appendSlow(p, t, worker, kind, value, QString());
    }

    qint64 dropped() const
    {
        qint64 n = 0;
        for (Producer *p = m_producers.load(std::memory_order_acquire); p; p = p->nextProducer)
            n += p->dropped.load(std::memory_order_relaxed);
        return n;
    }

    qsizetype threadBuffers() const
    {
        std::lock_guard lock(m_mutex);
        return m_producerCount;
    }

    qsizetype chunks() const { return m_chunkCount.load(std::memory_order_relaxed); }

    /// Allocates touched spare chunks for `events` more events (bounded: never more than the capacity needs).
    void reserve(qsizetype events)
    {
        const qsizetype wanted = (events + ChunkEvents - 1) / ChunkEvents;
        allocateSpares(std::min(wanted, maxChunksFor(live()) - m_chunkCount.load(std::memory_order_relaxed)));
    }

    /// Readers keep the spares topped up: through the feeder where there is one (never allocating on the
    /// reader's thread, often the GUI's), else by allocating here.
    void readerTopUp()
    {
        if (m_feeder.joinable())
            requestFeed();
        else
            topUpPool(PoolTarget);
    }

    /// Keeps the pool's target of touched chunks ready, so recorders rarely allocate themselves; allocates at
    /// most `atMost` chunks now and returns how many it allocated.
    qsizetype topUpPool(qsizetype atMost = PoolTarget)
    {
        if (m_slotsLeft.load(std::memory_order_relaxed) == 0)
            return 0;
        const qsizetype wanted = std::min({ atMost, m_poolTarget - m_poolSize.load(std::memory_order_relaxed),
            maxChunksFor(live()) - m_chunkCount.load(std::memory_order_relaxed) });
        allocateSpares(wanted);
        return std::max<qsizetype>(0, wanted);
    }

    // ---- reading side (all under readMutex) ----

    mutable std::mutex readMutex;

    /// Takes every event published since the last drain, merged by time (each producer keeps its order).
    void drainLocked()
    {
        struct Run
        {
            Producer *p;
            qint64 end;
        };
        std::vector<Run> runs;
        for (Producer *p = m_producers.load(std::memory_order_acquire); p; p = p->nextProducer) {
            const qint64 n = p->published.load(std::memory_order_acquire);
            if (n > p->readCount)
                runs.push_back({ p, n });
        }
        if (runs.empty())
            return;
        // Oldest producer first, so equal times come out in a stable, documented order.
        std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.p->index < b.p->index; });
        if (runs.size() == 1) {
            Run &r = runs.front();
            while (r.p->readCount < r.end)
                store(next(r.p));
        } else {
            using Head = std::pair<qint64, qsizetype>; // (time of the run's next event, run index)
            std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
            std::vector<const Event *> pending(runs.size());
            for (qsizetype i = 0; i < qsizetype(runs.size()); ++i) {
                pending[i] = next(runs[i].p);
                heads.push({ pending[i]->tNs, i });
            }
            while (!heads.empty()) {
                const qsizetype i = heads.top().second;
                heads.pop();
                store(pending[i]);
                if (runs[i].p->readCount < runs[i].end) {
                    pending[i] = next(runs[i].p);
                    heads.push({ pending[i]->tNs, i });
                }
            }
        }
    }

    std::vector<const Event *> merged; ///< every stored event in merged order
    std::unordered_map<int, std::vector<const Event *>> byWorker;
    qsizetype delivered = 0; ///< merged[0, delivered) were handed out by takeNew
    qsizetype storedDetailBytes = 0;
    qint64 trimmed = 0; ///< events past the capacity in merged order (counted as dropped)

private:
    static const Event *next(Producer *p)
    {
        if (p->readPos == ChunkEvents) {
            p->readChunk = p->readChunk->next.load(std::memory_order_acquire);
            p->readPos = 0;
        }
        ++p->readCount;
        return &p->readChunk->events[p->readPos++];
    }

    void store(const Event *e)
    {
        if (qsizetype(merged.size()) >= m_capacity) {
            ++trimmed; // written into the overdraft: past the capacity in merged order
            return;
        }
        merged.push_back(e);
        byWorker[e->worker].push_back(e);
        storedDetailBytes += detailBytes(e->detail);
    }

    /// Fills the next slot (its detail is set by the caller before `publish`, if any).
    static void write(Producer *p, qint64 t, int worker, EventKind kind, qint64 value)
    {
        fillSlot(p, t, worker, kind, value);
        publish(p);
    }

    static Event &fillSlot(Producer *p, qint64 t, int worker, EventKind kind, qint64 value)
    {
        Event &e = p->cur->events[p->fill];
        e.tNs = t;
        e.worker = worker;
        e.kind = kind;
        e.value = value;
        return e;
    }

    static void publish(Producer *p)
    {
        ++p->fill;
        --p->writable;
        // Single writer: a plain load and a release store (no read-modify-write on the hot path).
        p->published.store(p->published.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }

    static void countDrop(Producer *p)
    {
        p->dropped.store(p->dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }

    void appendSlow(Producer *p, qint64 t, int worker, EventKind kind, qint64 value, const QString &detail)
    {
        if (p->writable == 0 && !refill(p)) {
            countDrop(p);
            return;
        }
        QString bounded;
        if (!detail.isEmpty()) {
            bounded = boundedDetail(detail);
            if (!reserveBytes(detailBytes(bounded))) {
                countDrop(p);
                return;
            }
        }
        fillSlot(p, t, worker, kind, value).detail = std::move(bounded);
        publish(p);
    }

    /// Makes p->writable > 0: a new reservation from the budget and/or a new chunk. False when full. Lock-free:
    /// the budget is two atomic counters and the pool a stack of chunks, so a recorder never waits for another
    /// thread (one preempted while holding a lock would stall every recorder behind it for a time slice).
    bool refill(Producer *p)
    {
        if (p->spare == 0 && !reserveGrain(p))
            return false;
        if (p->fill == ChunkEvents) {
            Chunk *c = takeChunk();
            p->cur->next.store(c, std::memory_order_release);
            p->cur = c;
            p->fill = 0;
        }
        p->writable = std::min(p->spare, ChunkEvents - p->fill);
        p->spare -= p->writable;
        return true;
    }

    /// Reserves the producer's next grain of slotsFree (and their bytes) from the budget.
    bool reserveGrain(Producer *p)
    {
        if (m_full.load(std::memory_order_relaxed))
            return false;
        qsizetype slotsFree = m_slotsLeft.load(std::memory_order_relaxed);
        for (;;) {
            // Grains shrink as the budget runs out, so a thread that stops recording holds few unused slots;
            // the overdraft covers them, so drops only start once `capacity` events were really written.
            const qsizetype byBytes = m_bytesLeft.load(std::memory_order_relaxed) / SlotBytes;
            const qsizetype left = std::min(slotsFree, byBytes);
            const qsizetype grain
                = std::min({ ChunkEvents, left, std::max<qsizetype>(1, left / (8 * std::max<qsizetype>(1, live()))) });
            if (grain <= 0) {
                m_full.store(true, std::memory_order_relaxed);
                // A thread giving slotsFree back meanwhile cleared the flag before we set it: look once more.
                if (m_slotsLeft.load(std::memory_order_relaxed) > 0
                    && m_bytesLeft.load(std::memory_order_relaxed) >= SlotBytes)
                    m_full.store(false, std::memory_order_relaxed);
                return false;
            }
            if (!m_slotsLeft.compare_exchange_weak(slotsFree, slotsFree - grain, std::memory_order_relaxed))
                continue; // `slotsFree` now holds the current count
            if (reserveBytes(grain * SlotBytes)) {
                p->spare = grain;
                return true;
            }
            // The bytes ran out between the two counters: give the slotsFree back and size the grain again.
            slotsFree = m_slotsLeft.fetch_add(grain, std::memory_order_relaxed) + grain;
        }
    }

    bool reserveBytes(qsizetype n)
    {
        qsizetype bytes = m_bytesLeft.load(std::memory_order_relaxed);
        do {
            if (bytes < n)
                return false;
        } while (!m_bytesLeft.compare_exchange_weak(bytes, bytes - n, std::memory_order_relaxed));
        return true;
    }

    void giveBack(Producer *p)
    {
        const qsizetype unused = p->writable + p->spare;
        p->writable = p->spare = 0;
        if (unused > 0) {
            m_slotsLeft.fetch_add(unused, std::memory_order_relaxed);
            m_bytesLeft.fetch_add(unused * SlotBytes, std::memory_order_relaxed);
            m_full.store(false, std::memory_order_relaxed);
        }
    }

    /// A spare chunk from the pool, or a new one allocated here (the feeder is asked long before the pool runs
    /// dry, so the recorder rarely allocates and never waits for the feeder).
    Chunk *takeChunk()
    {
        if (m_feeder.joinable() && m_poolSize.load(std::memory_order_relaxed) <= m_poolTarget / 2)
            requestFeed();
        if (Chunk *c = popSpare())
            return c;
        auto *c = new Chunk;
        m_chunkCount.fetch_add(1, std::memory_order_relaxed);
        return c;
    }

    /// Pops the pool's top chunk. A chunk enters the pool once (when allocated) and leaves it for good, so the
    /// top can never be popped and pushed back between our read and our exchange (no ABA), and a chunk popped
    /// meanwhile by another thread is still alive (chunks live as long as the log) to read poolNext from.
    Chunk *popSpare()
    {
        Chunk *top = m_poolHead.load(std::memory_order_acquire);
        while (top
            && !m_poolHead.compare_exchange_weak(
                top, top->poolNext, std::memory_order_acquire, std::memory_order_acquire)) { }
        if (top)
            m_poolSize.fetch_sub(1, std::memory_order_relaxed);
        return top;
    }

    void allocateSpares(qsizetype n)
    {
        for (qsizetype i = 0; i < n; ++i) {
            auto *c = new Chunk;
            c->poolNext = m_poolHead.load(std::memory_order_relaxed);
            while (!m_poolHead.compare_exchange_weak(
                c->poolNext, c, std::memory_order_release, std::memory_order_relaxed)) { }
            m_poolSize.fetch_add(1, std::memory_order_relaxed);
            m_chunkCount.fetch_add(1, std::memory_order_relaxed);
        }
    }

    qsizetype live() const { return m_live.load(std::memory_order_relaxed); }

    /// Chunks never exceed what the capacity needs, plus one partly filled per buffer, plus the spares.
    qsizetype maxChunksFor(qsizetype live) const
    {
        return (m_capacity + overdraftFor(m_capacity) + ChunkEvents - 1) / ChunkEvents + live + m_poolTarget;
    }

    /// Wakes the feeder (once per wave: a request already pending costs one atomic read-modify-write). A futex
    /// wake, no lock: the feeder sleeps on the same word, so a request between its look and its sleep is not lost.
    void requestFeed()
    {
        if (m_feedState.fetch_or(FeedRequested, std::memory_order_acq_rel) & FeedRequested)
            return;
        m_feedState.notify_one();
    }

    /// The feeder thread: tops the pool up whenever asked, until the store dies. It touches only the pool and
    /// its own word; it never records events.
    void feed()
    {
        pthread_setname_np(pthread_self(), "threadlab-feed");
        // Normal priority, one chunk (a few µs) per step: measured against SCHED_IDLE on a saturated 2-core
        // machine, the recorders then find a touched chunk far more often (p99.9 of an append 240 ns instead of
        // 2 µs; yielding between chunks starved the pool again: 2 µs).
        for (;;) {
            m_feedState.wait(0, std::memory_order_acquire);
            if (m_feedState.exchange(0, std::memory_order_acq_rel) & FeedStop)
                return;
            // One chunk at a time, so a stop request is looked at between chunks.
            while (topUpPool(1) > 0)
                if (m_feedState.load(std::memory_order_acquire) & FeedStop)
                    return;
        }
    }

    static constexpr int FeedRequested = 1;
    static constexpr int FeedStop = 2;

    const qsizetype m_capacity;
    mutable std::mutex m_mutex; ///< the buffers: free list, list of producers (a thread's first record only)
    std::atomic<qsizetype> m_slotsLeft;
    std::atomic<qsizetype> m_bytesLeft;
    std::atomic<bool> m_full { false }; ///< lets a full log drop without touching the counters
    std::atomic<Chunk *> m_poolHead { nullptr }; ///< touched spare chunks, a lock-free stack (see popSpare)
    std::atomic<qsizetype> m_poolSize { 0 };
    std::vector<Producer *> m_free;
    std::atomic<Producer *> m_producers { nullptr };
    int m_producerCount = 0;
    std::atomic<qsizetype> m_live { 0 }; ///< buffers held by live threads (sizes the grains)
    std::atomic<qsizetype> m_chunkCount { 0 };
    std::mutex m_fallbackMutex;
    Producer *m_fallback = nullptr;
    qsizetype m_poolTarget = PoolTarget;
    // The feeder (large logs only): started by the constructor, stopped and joined by the destructor.
    std::atomic<int> m_feedState { 0 }; ///< FeedRequested | FeedStop; the feeder sleeps on it
    std::thread m_feeder;
};

} // namespace threadlab
