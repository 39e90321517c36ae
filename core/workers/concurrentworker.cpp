// Backend::Concurrent: cooperative only; a task cancelled while still queued never runs.
#include "concurrentworker.h"

#include "events/eventlog.h"
#include "workloads/workload.h"

#include <QtConcurrent/QtConcurrentRun>

namespace threadlab {

// --- ConcurrentStopContext ---

std::unique_ptr<StopCallback> ConcurrentStopContext::onStopRequested(std::function<void()> wake)
{
    return m_callbacks.add(std::move(wake));
}

void ConcurrentStopContext::pausePoint()
{
    if (m_promise)
        m_promise->suspendIfRequested(); // blocks (releasing its pool slot) while suspended
}

bool ConcurrentStopContext::stopRequested()
{
    if (!m_promise) [[unlikely]]
        return true; // the task is over (e.g. a child thread still asking)
    m_promise->suspendIfRequested(); // an atomic load unless a suspension was requested
    return m_promise->isCanceled();
}

// --- ConcurrentWorker ---

ConcurrentWorker::ConcurrentWorker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log,
    std::shared_ptr<LabResources> lab, QThreadPool *pool, QObject *parent)
    : Worker(id, std::move(spec), std::move(log), std::move(lab), parent)
    , m_state(std::make_shared<RunState>())
    , m_pool(pool)
{
    m_state->ctx = std::make_shared<ConcurrentStopContext>(id, logPtr(), labPtr());
    m_state->ctx->setStopNoticedHook(stopNoticedNotifier());
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &ConcurrentWorker::handleFinished);
    connect(&m_watcher, &QFutureWatcher<void>::suspended, this, [this] {
        if (isFinished())
            return;
        record(EventKind::Paused, stepsDone());
        if (state() == WorkerState::Running) // as the fold: only a running worker pauses
            setState(WorkerState::Paused);
    });
    connect(&m_watcher, &QFutureWatcher<void>::resumed, this, [this] {
        if (isFinished())
            return;
        record(EventKind::Resumed, stepsDone());
        if (state() == WorkerState::Paused)
            setState(WorkerState::Running);
    });
}

ConcurrentWorker::~ConcurrentWorker()
{
    detachOwnerLink();
    // The task (if any) keeps its state alive through a shared_ptr; ask it to stop and let it go.
    if (!m_joined && m_future.isValid())
        m_future.cancel();
    m_watcher.disconnect(this);
}

bool ConcurrentWorker::hasEnded() const
{
    return m_joined || state() == WorkerState::Created;
}

qint64 ConcurrentWorker::stepsDone() const
{
    return m_state->ctx->stepsDone();
}

qint64 ConcurrentWorker::cpuTimeNs() const
{
    return m_state->rec.cpuTimeNs(m_state->ctx->threadId());
}

void ConcurrentWorker::doStart()
{
    m_state->workload = WorkloadRegistry::create(spec().workload, spec().params);
    if (!m_state->workload) {
        record(EventKind::Note, 0, QStringLiteral("cannot create workload '%1'").arg(spec().workload));
        m_joined = true;
        handleEnded(Outcome::Failed);
        return;
    }
    std::shared_ptr<RunState> state = m_state;
    std::shared_ptr<EventLog> log = logPtr();
    const int workerId = id();
    // QFuture says started at submission, even while queued: the task itself says when the code begins.
    std::function<void()> onStarted = codeStartedNotifier();
    // QtConcurrent skips the function entirely if the future was cancelled while the task was queued.
    m_future = QtConcurrent::run(m_pool, [state, log, workerId, onStarted](QPromise<void> &promise) {
        state->ctx->setPromise(&promise);
        runWorkloadGuarded(*state->workload, *state->ctx, state->rec, *log, workerId, onStarted);
        state->ctx->setPromise(nullptr);
    });
    m_watcher.setFuture(m_future);
}

void ConcurrentWorker::doRequestStop()
{
    m_future.cancel();
    m_state->ctx->fireStopCallbacks();
}

void ConcurrentWorker::doForceKill(StopMethod)
{
    // Refused (vocabulary's capability table): nothing can kill a pooled thread.
}

void ConcurrentWorker::doPause()
{
    m_future.suspend();
}

void ConcurrentWorker::doResume()
{
    m_future.resume();
}

void ConcurrentWorker::handleFinished()
{
    if (m_joined)
        return;
    m_joined = true;
    const RunRecord &rec = m_state->rec;
    if (rec.end.load() == RunRecord::Threw)
        record(EventKind::Note, 0, QStringLiteral("the workload threw: %1").arg(rec.what));
    if (rec.end.load() == RunRecord::NotStarted) {
        record(EventKind::Note, 0, QStringLiteral("cancelled while queued: the task never ran"));
        handleEnded(Outcome::Cancelled);
        return;
    }
    handleEnded(rec.outcome(false));
}

} // namespace threadlab
