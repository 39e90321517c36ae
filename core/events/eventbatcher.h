// Delivers new events of an EventLog to observers in batches, at most ~60 per second.
#pragma once

#include "base/event.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace threadlab {

class EventLog;

class EventBatcher : public QObject
{
    Q_OBJECT
public:
    explicit EventBatcher(std::shared_ptr<EventLog> log, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(EventBatcher)

    /// Delivers whatever is pending now (e.g. before reading final results).
    void flush();

signals:
    void eventsRecorded(const threadlab::EventList &batch);

private:
    std::shared_ptr<EventLog> m_log;
    QTimer m_timer;
};

} // namespace threadlab
