// Bounded store of every event of a lab session: per-thread buffer cache, appends and reads (see eventstore.h).
#include "eventlog.h"

#include "eventstore.h"

#include "base/clock.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace threadlab {

using eventbuffers::Producer;

namespace {

constexpr qsizetype SlotBytes = EventLog::SlotBytes;
std::atomic<quint64> s_nextSerial { 1 };

} // namespace

namespace {

/// The buffers this thread holds, one per log it recorded into; handed back when the thread exits.
struct ThreadBuffers
{
    struct Slot
    {
        quint64 serial;
        std::weak_ptr<EventStore> store;
        Producer *producer;
    };
    std::vector<Slot> held;
    ~ThreadBuffers();
};

// The hot cache: plain thread_locals (no guard, no destructor), so the fast path is two TLS loads.
thread_local quint64 t_serial = 0;
thread_local Producer *t_producer = nullptr;
thread_local bool t_buffersGone = false;

ThreadBuffers &threadBuffers()
{
    thread_local ThreadBuffers buffers;
    return buffers;
}

ThreadBuffers::~ThreadBuffers()
{
    t_serial = 0;
    t_producer = nullptr;
    t_buffersGone = true;
    for (Slot &s : held)
        if (const std::shared_ptr<EventStore> store = s.store.lock())
            store->release(s.producer);
}

Producer *producerFor(quint64 serial, const std::shared_ptr<EventStore> &store)
{
    ThreadBuffers &buffers = threadBuffers();
    auto it = std::find_if(buffers.held.begin(), buffers.held.end(),
        [serial](const ThreadBuffers::Slot &s) { return s.serial == serial; });
    if (it == buffers.held.end()) {
        // Forget logs that died, so a long-lived thread recording into many short-lived logs stays small.
        std::erase_if(buffers.held, [](const ThreadBuffers::Slot &s) { return s.store.expired(); });
        buffers.held.push_back({ serial, store, store->acquire() });
        it = buffers.held.end() - 1;
    }
    t_serial = serial;
    t_producer = it->producer;
    return it->producer;
}

} // namespace

EventLog::EventLog(qsizetype capacity, qsizetype maxBytes)
    : m_capacity(capacity)
    , m_maxBytes(maxBytes)
    , m_serial(s_nextSerial.fetch_add(1, std::memory_order_relaxed))
    , m_store(std::make_shared<EventStore>(capacity, maxBytes))
{
}

EventLog::~EventLog() = default;

void EventLog::record(int worker, EventKind kind, qint64 value)
{
    // The common append (no detail): no QString to build, pass or test, one clock read.
    const qint64 t = monotonicNowNs();
    Producer *p = t_producer;
    if (Q_UNLIKELY(t_serial != m_serial)) {
        if (Q_UNLIKELY(t_buffersGone)) {
            m_store->appendFallback(t, worker, kind, value, QString());
            return;
        }
        p = producerFor(m_serial, m_store);
    }
    m_store->appendPlain(p, t, worker, kind, value);
}

void EventLog::record(int worker, EventKind kind, qint64 value, const QString &detail)
{
    recordAt(monotonicNowNs(), worker, kind, value, detail);
}

void EventLog::recordAt(qint64 tNs, int worker, EventKind kind, qint64 value, const QString &detail)
{
    Producer *p = t_producer;
    if (Q_UNLIKELY(t_serial != m_serial)) {
        if (Q_UNLIKELY(t_buffersGone)) {
            m_store->appendFallback(tNs, worker, kind, value, detail);
            return;
        }
        p = producerFor(m_serial, m_store);
    }
    m_store->append(p, tNs, worker, kind, value, detail);
}

namespace {

EventList copied(std::vector<const Event *>::const_iterator from, std::vector<const Event *>::const_iterator to)
{
    EventList out;
    out.reserve(qsizetype(to - from));
    for (; from != to; ++from)
        out.append(**from);
    return out;
}

} // namespace

EventList EventLog::takeNew()
{
    m_store->readerTopUp();
    std::lock_guard lock(m_store->readMutex);
    m_store->drainLocked();
    const auto &merged = m_store->merged;
    EventList out = copied(merged.begin() + m_store->delivered, merged.end());
    m_store->delivered = qsizetype(merged.size());
    return out;
}

EventList EventLog::all() const
{
    std::lock_guard lock(m_store->readMutex);
    m_store->drainLocked();
    return copied(m_store->merged.begin(), m_store->merged.end());
}

EventList EventLog::forWorker(int worker) const
{
    std::lock_guard lock(m_store->readMutex);
    m_store->drainLocked();
    const auto it = m_store->byWorker.find(worker);
    return it == m_store->byWorker.end() ? EventList() : copied(it->second.begin(), it->second.end());
}

qsizetype EventLog::size() const
{
    std::lock_guard lock(m_store->readMutex);
    m_store->drainLocked();
    return qsizetype(m_store->merged.size());
}

qint64 EventLog::dropped() const
{
    std::lock_guard lock(m_store->readMutex);
    m_store->drainLocked();
    return m_store->dropped() + m_store->trimmed;
}

qsizetype EventLog::bytes() const
{
    std::lock_guard lock(m_store->readMutex);
    m_store->drainLocked();
    return qsizetype(m_store->merged.size()) * SlotBytes + m_store->storedDetailBytes;
}

void EventLog::reserve(qsizetype events)
{
    m_store->reserve(events);
}

qsizetype EventLog::threadBuffers() const
{
    return m_store->threadBuffers();
}

qsizetype EventLog::chunks() const
{
    return m_store->chunks();
}

} // namespace threadlab
