// Delivers new events of an EventLog to observers in batches, at most ~60 per second.
#include "eventbatcher.h"

#include "eventlog.h"

namespace threadlab {

namespace {
constexpr int BatchIntervalMs = 16;
}

EventBatcher::EventBatcher(std::shared_ptr<EventLog> log, QObject *parent)
    : QObject(parent)
    , m_log(std::move(log))
{
    m_timer.setInterval(BatchIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventBatcher::flush);
    m_timer.start();
}

void EventBatcher::flush()
{
    EventList batch = m_log->takeNew();
    if (!batch.isEmpty())
        emit eventsRecorded(batch);
}

} // namespace threadlab
