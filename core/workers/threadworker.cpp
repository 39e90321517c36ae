// Backend::Thread, and the run bookkeeping shared by the in-process backends.
#include "threadworker.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "ledger/labresources.h"
#include "workerpriority.h"
#include "workloads/threadcancellation.h"
#include "workloads/workload.h"

#include <QDeadlineTimer>
#include <QTimer>
#include <cxxabi.h>
#include <exception>

namespace threadlab {

namespace {

constexpr int JoinSliceMs = 20;

/// Unregisters a StopCallbackRegistry entry; waits (through the mutex) for a callback being run.
class RegistryHandle : public StopCallback
{
public:
    using Remove = std::function<void()>;
    explicit RegistryHandle(Remove remove)
        : m_remove(std::move(remove))
    {
    }
    ~RegistryHandle() override
    {
        if (m_remove)
            m_remove();
    }

private:
    Remove m_remove;
};

} // namespace

// --- RunRecord ---

qint64 RunRecord::cpuTimeNs(qint64 tid) const
{
    const qint64 start = cpuStartNs.load(std::memory_order_acquire);
    const qint64 endNs = cpuEndNs.load(std::memory_order_acquire);
    if (endNs >= 0)
        return qMax<qint64>(0, endNs - start);
    if (end.load(std::memory_order_acquire) != Running)
        return 0;
    const qint64 now = Worker::readThreadCpuNs(tid);
    return now >= 0 ? qMax<qint64>(0, now - start) : 0;
}

Outcome RunRecord::outcome(bool forceSent) const
{
    switch (end.load(std::memory_order_acquire)) {
    case Returned:
        return Outcome::Completed;
    case Unwound:
        return Outcome::Killed;
    case Threw:
        return Outcome::Failed;
    default:
        // The work never ran. Killed only if a cancel really unwound the thread before it (a terminate()
        // landing before run()); a thread that returned normally (an event loop quit before its work
        // started) was cancelled, even if a force was sent afterwards: it found nothing to kill.
        return forceSent && !threadReturned.load(std::memory_order_acquire) ? Outcome::Killed : Outcome::Cancelled;
    }
}

THREADLAB_CATCHES_FORCED_UNWIND
void runWorkloadGuarded(Workload &workload, StopContext &ctx, RunRecord &rec, EventLog &log, int workerId,
    const std::function<void()> &onStarted)
{
    // Records exited on a normal return and during a forced unwind alike. It must not reach a
    // cancellation point: recording is a mutex and an append.
    struct ExitGuard
    {
        RunRecord &rec;
        EventLog &log;
        StopContext &ctx;
        int workerId;
        bool completed = false;
        ~ExitGuard()
        {
            ctx.setPhase(WorkerPhase::Finished);
            rec.cpuEndNs.store(threadCpuNowNs(), std::memory_order_release);
            if (!completed)
                rec.end.store(RunRecord::Unwound, std::memory_order_release);
            log.record(workerId, EventKind::Exited, completed ? 0 : 1,
                completed ? QString() : QStringLiteral("unwound by a force-kill"));
        }
    };

    rec.cpuStartNs.store(threadCpuNowNs(), std::memory_order_release);
    ctx.attachToCurrentThread();
    applyWorkerThreadPolicy(ctx.lab().workersYield());
    rec.end.store(RunRecord::Running, std::memory_order_release);
    log.record(workerId, EventKind::Started, ctx.threadId());
    if (onStarted)
        onStarted();
    ExitGuard guard { rec, log, ctx, workerId };
    try {
        workload.run(ctx);
        rec.end.store(RunRecord::Returned, std::memory_order_release);
    } catch (abi::__forced_unwind &) {
        throw; // a force-kill unwinding the stack: must reach the thread's start
    } catch (const std::exception &e) {
        rec.what = QString::fromLocal8Bit(e.what());
        rec.end.store(RunRecord::Threw, std::memory_order_release);
    } catch (...) {
        rec.what = QStringLiteral("unknown exception");
        rec.end.store(RunRecord::Threw, std::memory_order_release);
    }
    guard.completed = true;
}

// --- StopCallbackRegistry ---

StopCallbackRegistry::StopCallbackRegistry()
    : m_shared(std::make_shared<Shared>())
{
}

std::unique_ptr<StopCallback> StopCallbackRegistry::add(std::function<void()> wake)
{
    QMutexLocker lock(&m_shared->mutex);
    if (m_shared->fired) {
        lock.unlock();
        wake();
        return std::make_unique<RegistryHandle>(RegistryHandle::Remove());
    }
    const int id = m_shared->nextId++;
    m_shared->callbacks.emplace(id, std::move(wake));
    std::weak_ptr<Shared> weak = m_shared;
    return std::make_unique<RegistryHandle>([weak, id] {
        if (auto s = weak.lock()) {
            QMutexLocker l(&s->mutex);
            s->callbacks.erase(id);
        }
    });
}

void StopCallbackRegistry::fire()
{
    // Callbacks run under the mutex so that a handle destroyed meanwhile waits for them to finish.
    QMutexLocker lock(&m_shared->mutex);
    if (m_shared->fired)
        return;
    m_shared->fired = true;
    for (auto &[id, wake] : m_shared->callbacks)
        wake();
}

// --- ThreadStopContext ---

ThreadStopContext::ThreadStopContext(
    QThread *thread, int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab)
    : ThreadStopContextBase(workerId, std::move(log), std::move(lab))
    , m_thread(thread)
{
}

std::unique_ptr<StopCallback> ThreadStopContext::onStopRequested(std::function<void()> wake)
{
    return m_callbacks.add(std::move(wake));
}

// --- WorkloadThread ---

WorkloadThread::WorkloadThread(std::shared_ptr<ThreadRunState> state, std::shared_ptr<EventLog> log, int workerId)
    : m_state(std::move(state))
    , m_log(std::move(log))
    , m_workerId(workerId)
{
}

void WorkloadThread::run()
{
    // Qt enabled cancellation just before run(): disable it first, so a terminate() lands only inside
    // cancellable() regions or at shouldStop() once a kill is pending (see threadcancellation.h).
    disableThreadCancellation();
    runWorkloadGuarded(*m_state->workload, *m_state->ctx, m_state->rec, *m_log, m_workerId, m_state->onStarted);
    m_state->rec.threadReturned.store(true, std::memory_order_release);
    // A pending cancel stays pending (disabled) and never fires inside QThread's finish().
    disableThreadCancellation();
    // The owner learns of the end from QThread::finished alone (one notification, from inside finish(), after
    // which QThread only frees its thread data): its wait() then returns at once. A notification from here
    // instead would wake it while finish() still runs, and its wait() would sleep for a second wake-up.
}

// --- QThreadWorkerBase ---

QThreadWorkerBase::QThreadWorkerBase(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : Worker(id, std::move(spec), std::move(log), std::move(lab), parent)
    , m_state(std::make_shared<ThreadRunState>())
{
}

void QThreadWorkerBase::adoptThread(QThread *thread)
{
    m_thread = thread;
    m_thread->setObjectName(QStringLiteral("threadlab-%1").arg(id()));
    m_state->ctx = std::make_shared<ThreadStopContext>(m_thread, id(), logPtr(), labPtr());
    m_state->ctx->setStopNoticedHook(stopNoticedNotifier());
    m_state->onStarted = codeStartedNotifier();
    // finished() is emitted from the dying thread: queued to us.
    connect(m_thread, &QThread::finished, this, &QThreadWorkerBase::handleThreadFinished, Qt::QueuedConnection);
}

QThreadWorkerBase::~QThreadWorkerBase()
{
    detachOwnerLink();
    disconnect(m_thread, nullptr, this, nullptr);
    // Connect before looking, so a thread that finishes in between is still deleted.
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    if (m_thread->isRunning()) {
        // Never destroy a running QThread (qFatal): leave it, with its shared state, to end on its own.
        m_thread->requestInterruption();
        m_thread->quit();
        return;
    }
    disconnect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    delete m_thread; // finished or never started (a thread inside finish() is waited for by ~QThread)
}

bool QThreadWorkerBase::hasEnded() const
{
    return m_joined || state() == WorkerState::Created;
}

qint64 QThreadWorkerBase::stepsDone() const
{
    return m_state->ctx->stepsDone();
}

qint64 QThreadWorkerBase::cpuTimeNs() const
{
    return m_state->rec.cpuTimeNs(m_state->ctx->threadId());
}

bool QThreadWorkerBase::createWorkload()
{
    m_state->workload = WorkloadRegistry::create(spec().workload, spec().params);
    if (m_state->workload)
        return true;
    record(EventKind::Note, 0, QStringLiteral("cannot create workload '%1'").arg(spec().workload));
    m_joined = true;
    handleEnded(Outcome::Failed);
    return false;
}

void QThreadWorkerBase::doForceKill(StopMethod)
{
    // A deferred pthread_cancel: lands at the next cancellation point the workload allows.
    m_thread->terminate();
}

void QThreadWorkerBase::handleThreadFinished()
{
    if (m_joined)
        return;
    // finished() is emitted from inside QThread's finish(), a few microseconds before the thread is over;
    // by the time this runs it usually is, and otherwise the join completes within microseconds.
    if (!m_thread->wait(QDeadlineTimer(JoinSliceMs))) {
        QTimer::singleShot(1, this, &QThreadWorkerBase::handleThreadFinished);
        return;
    }
    m_joined = true;
    const RunRecord &rec = m_state->rec;
    if (rec.end.load() == RunRecord::Threw)
        record(EventKind::Note, 0, QStringLiteral("the workload threw: %1").arg(rec.what));
    handleEnded(rec.outcome(forceSent()));
}

// --- ThreadWorker ---

ThreadWorker::ThreadWorker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : QThreadWorkerBase(id, std::move(spec), std::move(log), std::move(lab), parent)
{
    adoptThread(new WorkloadThread(runState(), logPtr(), id));
}

void ThreadWorker::doStart()
{
    if (createWorkload())
        thread()->start();
}

void ThreadWorker::doRequestStop()
{
    thread()->requestInterruption();
    runState()->ctx->fireStopCallbacks();
}

} // namespace threadlab
