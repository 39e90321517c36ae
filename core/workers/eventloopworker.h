// Backend::EventLoop: a worker QObject moved to a QThread running exec(); the work runs in one of its slots.
#pragma once

#include "threadworker.h"

#include <QObject>
#include <QThread>
#include <memory>

namespace threadlab {

/// The object living in the event-loop thread. Its work() slot runs the workload (polling
/// isInterruptionRequested() through the context) and then quits the loop.
class EventLoopObject : public QObject
{
    Q_OBJECT
public:
    EventLoopObject(std::shared_ptr<ThreadRunState> state, std::shared_ptr<EventLog> log, int workerId);
    Q_DISABLE_COPY_MOVE(EventLoopObject)

public slots:
    void work();

private:
    std::shared_ptr<ThreadRunState> m_state;
    std::shared_ptr<EventLog> m_log;
    const int m_workerId;
};

/// The event-loop thread: exec() with thread cancellation disabled, so a terminate() can only land
/// where the workload allows it (never inside Qt's event loop or QThread's own finish()).
class EventLoopThread : public QThread
{
    Q_OBJECT
public:
    explicit EventLoopThread(std::shared_ptr<ThreadRunState> state);
    Q_DISABLE_COPY_MOVE(EventLoopThread)

protected:
    void run() override;

private:
    std::shared_ptr<ThreadRunState> m_state;
};

/// Backend::EventLoop: a worker QObject moved to an EventLoopThread; stop = requestInterruption() + quit().
class EventLoopWorker : public QThreadWorkerBase
{
    Q_OBJECT
public:
    explicit EventLoopWorker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(EventLoopWorker)

protected:
    void doStart() override;
    void doRequestStop() override;
};

} // namespace threadlab
