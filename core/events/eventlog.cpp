// Thread-safe, bounded store of every event of a lab session.
#include "eventlog.h"

#include "base/clock.h"

namespace threadlab {

EventLog::EventLog(qsizetype capacity)
    : m_capacity(capacity)
{
    m_events.reserve(qMin<qsizetype>(capacity, 65'536));
}

void EventLog::record(int worker, EventKind kind, qint64 value, const QString &detail)
{
    recordAt(monotonicNowNs(), worker, kind, value, detail);
}

void EventLog::recordAt(qint64 tNs, int worker, EventKind kind, qint64 value, const QString &detail)
{
    QMutexLocker lock(&m_mutex);
    if (m_events.size() >= m_capacity) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_events.append(Event { tNs, worker, kind, value, detail });
}

EventList EventLog::takeNew()
{
    QMutexLocker lock(&m_mutex);
    EventList out = m_events.mid(m_delivered);
    m_delivered = m_events.size();
    return out;
}

EventList EventLog::all() const
{
    QMutexLocker lock(&m_mutex);
    return m_events;
}

EventList EventLog::forWorker(int worker) const
{
    QMutexLocker lock(&m_mutex);
    EventList out;
    for (const Event &e : m_events)
        if (e.worker == worker)
            out.append(e);
    return out;
}

qsizetype EventLog::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_events.size();
}

} // namespace threadlab
