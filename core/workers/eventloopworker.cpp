// Backend::EventLoop: requestInterruption() + quit() to ask, terminate() to force (same contract as thread).
#include "eventloopworker.h"

#include "events/eventlog.h"
#include "workloads/workload.h"

#include <QDeadlineTimer>
#include <QTimer>

namespace threadlab {

EventLoopObject::EventLoopObject(std::shared_ptr<ThreadRunState> state, std::shared_ptr<EventLog> log, int workerId)
    : m_state(std::move(state))
    , m_log(std::move(log))
    , m_workerId(workerId)
{
}

EventLoopThread::EventLoopThread(std::shared_ptr<ThreadRunState> state)
    : m_state(std::move(state))
{
}

void EventLoopThread::run()
{
    // Same contract as the thread backend: Qt enabled cancellation just before run(); disable it for the
    // whole life of this thread, except inside cancellable() regions and at shouldStop() once a kill is
    // pending. A force sent before the work starts or after it returned therefore never lands.
    disableThreadCancellation();
    exec();
    m_state->rec.threadReturned.store(true, std::memory_order_release);
    disableThreadCancellation();
}

void EventLoopObject::work()
{
    runWorkloadGuarded(*m_state->workload, *m_state->ctx, m_state->rec, *m_log, m_workerId, m_state->onStarted);
    QThread::currentThread()->quit();
}

EventLoopWorker::EventLoopWorker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : QThreadWorkerBase(id, std::move(spec), std::move(log), std::move(lab), parent)
{
    adoptThread(new EventLoopThread(runState()));
}

void EventLoopWorker::doStart()
{
    if (!createWorkload())
        return;
    // The object has no parent and lives in the thread; it is deleted there when the thread finishes.
    auto *object = new EventLoopObject(runState(), logPtr(), id());
    object->moveToThread(thread());
    connect(thread(), &QThread::finished, object, &QObject::deleteLater);
    // The work is an event: it runs once exec() has started.
    QMetaObject::invokeMethod(object, &EventLoopObject::work, Qt::QueuedConnection);
    thread()->start();
}

void EventLoopWorker::doRequestStop()
{
    thread()->requestInterruption();
    thread()->quit();
    runState()->ctx->fireStopCallbacks();
}

} // namespace threadlab
