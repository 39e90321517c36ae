// What a workload sees of the backend running it: the stop check, progress, marks, resources, blocking helpers.
#pragma once

#include "base/event.h"
#include "base/workerphase.h"

#include <QString>
#include <atomic>
#include <functional>
#include <memory>

namespace threadlab {

class EventLog;
class LabResources;

/// A registration made by StopContext::onStopRequested(); destroying it unregisters the callback.
class StopCallback
{
public:
    virtual ~StopCallback() = default;
};

/// The stop context of one worker. Workloads are written once against this class and run on every
/// backend; each backend derives from it and supplies the native stop check.
///
/// Cancellation points (where a QThread::terminate() can land): only inside cancellable() and at
/// shouldStop() once a kill is pending. Everywhere else the thread backends keep cancellation disabled,
/// so a pending cancel never fires inside a destructor or in the engine's own code.
class StopContext
{
public:
    StopContext(int workerId, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab);
    virtual ~StopContext();
    Q_DISABLE_COPY_MOVE(StopContext)

    /// The one stop check of a workload's hot path: the backend's native flag (isInterruptionRequested,
    /// QPromise::isCanceled, stop_token::stop_requested...). Lets a pending force-kill land first.
    bool shouldStop()
    {
        setPhase(WorkerPhase::Checking);
        if (m_killPending.load(std::memory_order_relaxed)) [[unlikely]]
            cancellationPoint();
        return stopRequested();
    }
    /// The same check without the landing point: a pending force-kill waits for the workload's next
    /// cancellable() region. For a check where the lesson needs the kill to land elsewhere (lock-holder checks
    /// outside its lock, but a kill must land inside it, at the sleep, for a raw lock() to leak every time).
    bool shouldStopNoKillLanding()
    {
        setPhase(WorkerPhase::Checking);
        return stopRequested();
    }

    /// Publishes where the code is now (the line the code panel highlights). One relaxed store: cheap enough for
    /// the hot path. shouldStop() publishes Checking, cleanupBegin() CleaningUp; the backend Working before the
    /// workload runs and Finished after it returns; the workload says the rest (sleeping, inside the lock...).
    void setPhase(WorkerPhase phase) { m_phase.store(int(phase), std::memory_order_relaxed); }
    /// The workload acts on a stop: records stop-observed (once).
    void noticeStop();
    /// Steps done so far; the first call records first-step. Cheap (one relaxed store).
    void reportStep(qint64 stepsDone);
    void cleanupBegin();
    void cleanupEnd();
    /// Records a free-form mark on this worker's timeline.
    void mark(EventKind kind, qint64 value = 0, const QString &detail = {});

    /// Declares a resource the workload now holds (probed by the leak ledger when the worker ends).
    void acquired(ResourceKind kind, qint64 id, const QString &what);
    /// Declares that the workload released it (bookkeeping only: the ledger still probes the system).
    void released(ResourceKind kind, qint64 id, const QString &what);

    /// Runs f with force-kill able to land inside it (its blocking calls become cancellation points
    /// on the thread backends; elsewhere this just calls f).
    template <typename F> decltype(auto) cancellable(F &&f)
    {
        CancellableScope scope(*this);
        return f();
    }
    /// Sleeps for ns (a cancellation point).
    void sleepNs(qint64 ns);

    /// wake=notify: registers a callback that the stop request itself calls, from the requesting thread.
    virtual std::unique_ptr<StopCallback> onStopRequested(std::function<void()> wake) = 0;

    /// Pauses here if the owner asked for it (concurrent only; elsewhere a no-op). Returns when resumed.
    virtual void pausePoint() { }

    int workerId() const { return m_workerId; }
    LabResources &lab() const { return *m_lab; }
    std::shared_ptr<LabResources> labPtr() const { return m_lab; }
    EventLog &log() const { return *m_log; }

    // --- read by the owner (any thread) ---
    qint64 stepsDone() const { return m_steps.load(std::memory_order_relaxed); }
    /// The phase the workload published last (read at frame rate by the owner).
    WorkerPhase phase() const { return WorkerPhase(m_phase.load(std::memory_order_relaxed)); }
    bool stopNoticed() const { return m_stopNoticed.load(std::memory_order_acquire); }
    /// Kernel thread id of the thread running the workload (0 before it starts).
    qint64 threadId() const { return m_tid.load(std::memory_order_acquire); }
    /// Set by the owner right before a force-kill, so that shouldStop() becomes a cancellation point.
    void setKillPending() { m_killPending.store(true, std::memory_order_relaxed); }

    /// Called by the backend on the worker's thread just before the workload runs.
    void attachToCurrentThread();
    /// Set by the backend before the workload runs: called once, on the worker's thread, right after
    /// stop-observed is recorded, so the owner learns it from the event rather than by polling. Must not block.
    void setStopNoticedHook(std::function<void()> hook) { m_onStopNoticed = std::move(hook); }

protected:
    virtual bool stopRequested() = 0;
    /// Lets a pending force-kill land here (thread backends); default: nothing to land.
    virtual void cancellationPoint() { }
    /// Enables (true) or restores (false) cancellation around cancellable(); default: nothing.
    virtual void enterCancellable() { }
    virtual void leaveCancellable() { }

private:
    struct CancellableScope
    {
        explicit CancellableScope(StopContext &c)
            : ctx(c)
        {
            ctx.enterCancellable();
        }
        ~CancellableScope() { ctx.leaveCancellable(); }
        StopContext &ctx;
    };

    const int m_workerId;
    std::shared_ptr<EventLog> m_log;
    std::shared_ptr<LabResources> m_lab;
    std::atomic<qint64> m_steps { 0 };
    std::atomic<int> m_phase { int(WorkerPhase::None) };
    std::atomic<bool> m_firstStepSeen { false };
    std::atomic<bool> m_stopNoticed { false };
    std::atomic<bool> m_killPending { false };
    std::atomic<qint64> m_tid { 0 };
    std::function<void()> m_onStopNoticed;
};

} // namespace threadlab
