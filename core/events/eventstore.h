// The store behind an EventLog (internal to core/events): the budget, the pool of chunks, the feeder and the
// readers' merge. Only eventlog.cpp (and white-box tests) include it; the append's fast path stays inline here.
#pragma once

#include "eventbuffers.h"
#include "eventlog.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
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
inline constexpr qsizetype PoolTarget = 8; ///< touched spare chunks a reader keeps ready for the recorders
/// Logs this large (the lab's) get a feeder thread that keeps FedPoolTarget chunks touched ahead of the
/// recorders, so a recorder never allocates or page-faults (in a busy machine the page allocator may stall
/// for milliseconds in reclaim); smaller logs (a host's, a spawned child's, a benchmark's) allocate inline.
inline constexpr qsizetype FeederMinCapacity = 1'000'000;
inline constexpr qsizetype FedPoolTarget = 64; ///< 3 MiB of touched chunks: 64K events of headroom per wake-up
inline constexpr qsizetype ConstructorChunks = 2; ///< logs are made per spawned child too: keep construction cheap
/// Slots threads may write beyond the capacity, so that reservations idle threads still hold never cause an
/// early drop; readers keep exactly the first `capacity` events and count the rest as dropped.
inline constexpr qsizetype MaxOverdraft = 64 * ChunkEvents;

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
        std::vector<Chunk *> spares;
        const qsizetype n = std::min<qsizetype>(ConstructorChunks, maxChunksFor(0));
        for (qsizetype i = 0; i < n; ++i)
            spares.push_back(new Chunk);
        {
            std::lock_guard lock(m_mutex);
            addSparesLocked(spares);
        }
        if (capacity >= FeederMinCapacity) {
            m_poolTarget = FedPoolTarget;
            m_feeder = std::thread([this] { feed(); });
        }
    }
    ~EventStore()
    {
        if (m_feeder.joinable()) {
            {
                std::lock_guard lock(m_feedMutex);
                m_feederStop = true;
            }
            m_feedWake.notify_one();
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
        for (Chunk *c : m_pool)
            delete c;
    }
    Q_DISABLE_COPY_MOVE(EventStore)

    // ---- recording side ----

    /// A buffer for the calling thread: a free one (of an exited thread) or a new one.
    Producer *acquire()
    {
        std::unique_lock lock(m_mutex);
        ++m_live;
        if (!m_free.empty()) {
            Producer *p = m_free.back();
            m_free.pop_back();
            return p;
        }
        Chunk *first = takeChunk(lock);
        auto *p = new Producer(first, m_producerCount++);
        p->nextProducer = m_producers.load(std::memory_order_relaxed);
        m_producers.store(p, std::memory_order_release);
        return p;
    }

    /// The thread of `p` exits: its unused reservation goes back to the budget, the buffer to the free list.
    void release(Producer *p)
    {
        std::lock_guard lock(m_mutex);
        giveBackLocked(p);
        m_free.push_back(p);
        --m_live;
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
        qsizetype wanted = (events + ChunkEvents - 1) / ChunkEvents;
        {
            std::lock_guard lock(m_mutex);
            wanted = std::min(wanted, maxChunksFor(m_live) - m_chunkCount.load(std::memory_order_relaxed));
        }
        allocateSpares(wanted);
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
        qsizetype wanted = 0;
        {
            std::lock_guard lock(m_mutex);
            if (m_slotsLeft == 0)
                return 0;
            wanted = std::min({ atMost, m_poolTarget - qsizetype(m_pool.size()),
                maxChunksFor(m_live) - m_chunkCount.load(std::memory_order_relaxed) });
        }
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

    /// Makes p->writable > 0: a new reservation from the budget and/or a new chunk. False when full.
    bool refill(Producer *p)
    {
        if (p->spare == 0) {
            if (m_full.load(std::memory_order_relaxed))
                return false;
            std::lock_guard lock(m_mutex);
            // Grains shrink as the budget runs out, so a thread that stops recording holds few unused slots;
            // the overdraft covers them, so drops only start once `capacity` events were really written.
            const qsizetype byBytes = m_bytesLeft / SlotBytes;
            const qsizetype left = std::min(m_slotsLeft, byBytes);
            const qsizetype grain
                = std::min({ ChunkEvents, left, std::max<qsizetype>(1, left / (8 * std::max<qsizetype>(1, m_live))) });
            if (grain <= 0) {
                m_full.store(true, std::memory_order_relaxed);
                return false;
            }
            m_slotsLeft -= grain;
            m_bytesLeft -= grain * SlotBytes;
            p->spare = grain;
        }
        if (p->fill == ChunkEvents) {
            std::unique_lock lock(m_mutex);
            Chunk *c = takeChunk(lock);
            lock.unlock();
            p->cur->next.store(c, std::memory_order_release);
            p->cur = c;
            p->fill = 0;
        }
        p->writable = std::min(p->spare, ChunkEvents - p->fill);
        p->spare -= p->writable;
        return true;
    }

    bool reserveBytes(qsizetype n)
    {
        std::lock_guard lock(m_mutex);
        if (m_bytesLeft < n)
            return false;
        m_bytesLeft -= n;
        return true;
    }

    void giveBackLocked(Producer *p)
    {
        const qsizetype unused = p->writable + p->spare;
        p->writable = p->spare = 0;
        if (unused > 0) {
            m_slotsLeft += unused;
            m_bytesLeft += unused * SlotBytes;
            m_full.store(false, std::memory_order_relaxed);
        }
    }

    /// A spare chunk, or a new one allocated with the lock released (other recorders are not held up).
    Chunk *takeChunk(std::unique_lock<std::mutex> &lock)
    {
        if (m_feeder.joinable() && qsizetype(m_pool.size()) <= m_poolTarget / 2)
            requestFeed(); // long before the pool runs dry: the recorder never waits for the feeder
        if (!m_pool.empty()) {
            Chunk *c = m_pool.back();
            m_pool.pop_back();
            return c;
        }
        lock.unlock();
        auto *c = new Chunk;
        m_chunkCount.fetch_add(1, std::memory_order_relaxed);
        lock.lock();
        return c;
    }

    void allocateSpares(qsizetype n)
    {
        if (n <= 0)
            return;
        std::vector<Chunk *> spares;
        for (qsizetype i = 0; i < n; ++i)
            spares.push_back(new Chunk);
        std::lock_guard lock(m_mutex);
        addSparesLocked(spares);
    }

    void addSparesLocked(const std::vector<Chunk *> &spares)
    {
        m_pool.insert(m_pool.end(), spares.begin(), spares.end());
        m_chunkCount.fetch_add(qsizetype(spares.size()), std::memory_order_relaxed);
    }

    /// Chunks never exceed what the capacity needs, plus one partly filled per buffer, plus the spares.
    qsizetype maxChunksFor(qsizetype live) const
    {
        return (m_capacity + overdraftFor(m_capacity) + ChunkEvents - 1) / ChunkEvents + live + m_poolTarget;
    }

    /// Wakes the feeder (once per wave: a request already pending costs one atomic exchange).
    void requestFeed()
    {
        if (m_feedRequested.exchange(true, std::memory_order_acq_rel))
            return;
        {
            std::lock_guard lock(m_feedMutex);
        }
        m_feedWake.notify_one();
    }

    /// The feeder thread: tops the pool up whenever asked, until the store dies. It touches only the pool
    /// (under m_mutex, like any reader) and its own flags; it never records events.
    void feed()
    {
        pthread_setname_np(pthread_self(), "threadlab-feed");
        // Normal priority, one chunk (~20 µs) per step: measured against SCHED_IDLE on a saturated 2-core
        // machine, the recorders then find a touched chunk far more often (p99.9 of an append 240 ns instead of
        // 2 µs; yielding between chunks starved the pool again: 2 µs).
        std::unique_lock lock(m_feedMutex);
        for (;;) {
            m_feedWake.wait(lock, [this] { return m_feederStop || m_feedRequested.load(std::memory_order_acquire); });
            if (m_feederStop)
                return;
            m_feedRequested.store(false, std::memory_order_release);
            lock.unlock();
            // One chunk at a time, so the stop request and the pool's state are looked at between chunks.
            while (topUpPool(1) > 0) {
                std::lock_guard check(m_feedMutex);
                if (m_feederStop)
                    return;
            }
            lock.lock();
        }
    }

    const qsizetype m_capacity;
    mutable std::mutex m_mutex; ///< budget, pool and free list (the recorders' slow path only)
    qsizetype m_slotsLeft;
    qsizetype m_bytesLeft;
    std::atomic<bool> m_full { false }; ///< lets a full log drop without taking the mutex
    std::vector<Chunk *> m_pool;
    std::vector<Producer *> m_free;
    std::atomic<Producer *> m_producers { nullptr };
    int m_producerCount = 0;
    qsizetype m_live = 0;
    std::atomic<qsizetype> m_chunkCount { 0 };
    std::mutex m_fallbackMutex;
    Producer *m_fallback = nullptr;
    qsizetype m_poolTarget = PoolTarget;
    // The feeder (large logs only): started by the constructor, stopped and joined by the destructor.
    std::mutex m_feedMutex;
    std::condition_variable m_feedWake;
    bool m_feederStop = false; ///< under m_feedMutex
    std::atomic<bool> m_feedRequested { false };
    std::thread m_feeder;
};

} // namespace threadlab
