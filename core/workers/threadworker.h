// Backend::Thread: a QThread subclass running the workload in run(); plus the run bookkeeping shared by
// the in-process backends (how the code ended, its CPU time, wake=notify callbacks).
#pragma once

#include "worker.h"
#include "workloads/threadcancellation.h"

#include <QMutex>
#include <QThread>
#include <atomic>
#include <functional>
#include <map>
#include <memory>

namespace threadlab {

class Workload;

/// How the workload's code ended, written by the worker's thread, read by the owner after the join.
struct RunRecord
{
    enum End { NotStarted, Running, Returned, Unwound, Threw };
    std::atomic<int> end { NotStarted };
    std::atomic<qint64> cpuStartNs { 0 };
    std::atomic<qint64> cpuEndNs { -1 };
    /// The thread's run() returned normally (not unwound by a cancel), whether or not the work ran.
    std::atomic<bool> threadReturned { false };
    QString what; ///< the exception's what() (written before end = Threw)

    /// CPU time of this run: read from /proc while it runs, the thread's own figure once it ended.
    qint64 cpuTimeNs(qint64 tid) const;
    /// The raw outcome of a run that has ended (completed, killed, failed, cancelled); the worker settles
    /// it into stopped or ignored with settleOutcome().
    Outcome outcome(bool forceSent) const;
};

/// Runs the workload on the calling thread: records started (then calls onStarted, which must not block)
/// and (from a guard that also runs during a forced unwind) exited; never swallows abi::__forced_unwind;
/// catches any other exception into rec.
void runWorkloadGuarded(Workload &workload, StopContext &ctx, RunRecord &rec, EventLog &log, int workerId,
    const std::function<void()> &onStarted);

/// wake=notify callbacks for backends whose native stop has none (QThread, QPromise): the owner fires
/// them from its thread right after asking; registering after the fire calls the callback at once.
class StopCallbackRegistry
{
public:
    StopCallbackRegistry();
    std::unique_ptr<StopCallback> add(std::function<void()> wake);
    void fire();

private:
    struct Shared
    {
        QMutex mutex;
        bool fired = false;
        int nextId = 0;
        std::map<int, std::function<void()>> callbacks;
    };
    std::shared_ptr<Shared> m_shared;
};

/// The stop context of the QThread-based backends: the stop check is isInterruptionRequested().
class ThreadStopContext : public ThreadStopContextBase
{
public:
    ThreadStopContext(QThread *thread, int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab);
    std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) override;
    /// Called by the owner after requestInterruption().
    void fireStopCallbacks() { m_callbacks.fire(); }

protected:
    bool stopRequested() override { return m_thread->isInterruptionRequested(); }

private:
    QThread *const m_thread;
    StopCallbackRegistry m_callbacks;
};

/// What a thread-backed run shares between the owner and the thread (kept alive by both).
struct ThreadRunState
{
    std::unique_ptr<Workload> workload;
    std::shared_ptr<ThreadStopContext> ctx;
    RunRecord rec;
    std::function<void()> onStarted; ///< tells the owner the code began (thread-safe, see Worker)
};

/// The QThread of Backend::Thread. It touches only its shared state, never the Worker.
class WorkloadThread : public QThread
{
    Q_OBJECT
public:
    WorkloadThread(std::shared_ptr<ThreadRunState> state, std::shared_ptr<EventLog> log, int workerId);
    Q_DISABLE_COPY_MOVE(WorkloadThread)

protected:
    void run() override;

private:
    std::shared_ptr<ThreadRunState> m_state;
    std::shared_ptr<EventLog> m_log;
    const int m_workerId;
};

/// What the QThread-based backends (thread, eventloop) share: the run state, owning the QThread without
/// ever destroying it while it runs, joining it when it ends, and terminate() as force.
class QThreadWorkerBase : public Worker
{
    Q_OBJECT
public:
    ~QThreadWorkerBase() override;
    Q_DISABLE_COPY_MOVE(QThreadWorkerBase)

    bool hasEnded() const override;
    qint64 stepsDone() const override;
    qint64 cpuTimeNs() const override;

protected:
    QThreadWorkerBase(
        int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent);
    /// Takes ownership of the worker's thread (made by the subclass from runState()) and follows its end.
    void adoptThread(QThread *thread);
    /// Creates the workload; on failure records why and ends the worker as failed.
    bool createWorkload();
    /// Joins the thread once it finished (one notification: QThread::finished; wait() with a short deadline,
    /// retried, for the microseconds QThread's finish() may still take).
    void handleThreadFinished();

    void doForceKill(StopMethod method) override;
    StopContext *stopContext() const override { return m_state->ctx.get(); }
    const std::shared_ptr<ThreadRunState> &runState() const { return m_state; }
    QThread *thread() const { return m_thread; }

private:
    std::shared_ptr<ThreadRunState> m_state;
    QThread *m_thread = nullptr; ///< owned; leaked (never destroyed) if it still runs at our end
    bool m_joined = false;
};

/// Backend::Thread: a QThread subclass running the workload in run(); stop = requestInterruption().
class ThreadWorker : public QThreadWorkerBase
{
    Q_OBJECT
public:
    explicit ThreadWorker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThreadWorker)

protected:
    void doStart() override;
    void doRequestStop() override;
};

} // namespace threadlab
