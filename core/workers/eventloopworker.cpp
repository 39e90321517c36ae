// Backend::EventLoop: requestInterruption() + quit() to ask, terminate() to force (same contract as thread).
#include "eventloopworker.h"

#include "recording/eventlog.h"
#include "workloads/workload.h"

#include <QDeadlineTimer>
#include <QTimer>

namespace threadlab {

namespace {
constexpr int JoinSliceMs = 20;
}

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
    runWorkloadGuarded(*m_state->workload, *m_state->ctx, m_state->rec, *m_log, m_workerId);
    QThread::currentThread()->quit();
}

EventLoopWorker::EventLoopWorker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : Worker(id, std::move(spec), std::move(log), std::move(lab), parent)
    , m_state(std::make_shared<ThreadRunState>())
{
    m_thread = new EventLoopThread(m_state);
    m_thread->setObjectName(QStringLiteral("threadlab-loop-%1").arg(id));
    m_state->ctx = std::make_shared<ThreadStopContext>(m_thread, id, logPtr(), labPtr());
    connect(m_thread, &QThread::finished, this, &EventLoopWorker::handleThreadFinished, Qt::QueuedConnection);
}

EventLoopWorker::~EventLoopWorker()
{
    disconnect(m_thread, nullptr, this, nullptr);
    // Connect before looking, so a thread that finishes in between is still deleted.
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    if (m_thread->isRunning()) {
        // Never destroy a running QThread (qFatal): leave it, with its object and state, to end on its own.
        m_thread->requestInterruption();
        m_thread->quit();
        return;
    }
    disconnect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    delete m_thread;
}

bool EventLoopWorker::hasEnded() const
{
    return m_joined || state() == WorkerState::Created;
}

qint64 EventLoopWorker::stepsDone() const
{
    return m_state->ctx->stepsDone();
}

qint64 EventLoopWorker::cpuTimeNs() const
{
    return m_state->rec.cpuTimeNs(m_state->ctx->threadId());
}

void EventLoopWorker::doStart()
{
    m_state->workload = WorkloadRegistry::create(spec().workload, spec().params);
    if (!m_state->workload) {
        record(EventKind::Note, 0, QStringLiteral("cannot create workload '%1'").arg(spec().workload));
        m_joined = true;
        handleEnded(Outcome::Failed);
        return;
    }
    // The object has no parent and lives in the thread; it is deleted there when the thread finishes.
    auto *object = new EventLoopObject(m_state, logPtr(), id());
    object->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, object, &QObject::deleteLater);
    // The work is an event: it runs once exec() has started.
    QMetaObject::invokeMethod(object, &EventLoopObject::work, Qt::QueuedConnection);
    m_thread->start();
}

void EventLoopWorker::doRequestStop()
{
    m_thread->requestInterruption();
    m_thread->quit();
    m_state->ctx->fireStopCallbacks();
}

void EventLoopWorker::doForceKill(StopMethod)
{
    m_thread->terminate();
}

void EventLoopWorker::handleThreadFinished()
{
    if (m_joined)
        return;
    if (!m_thread->wait(QDeadlineTimer(JoinSliceMs))) {
        QTimer::singleShot(1, this, &EventLoopWorker::handleThreadFinished);
        return;
    }
    m_joined = true;
    const RunRecord &rec = m_state->rec;
    if (rec.end.load() == RunRecord::Threw)
        record(EventKind::Note, 0, QStringLiteral("the workload threw: %1").arg(rec.what));
    handleEnded(rec.outcome(m_state->ctx->stopNoticed(), forceSent()));
}

} // namespace threadlab
