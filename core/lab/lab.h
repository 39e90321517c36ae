// The lab: owns the workers, the event log, the shared resources and the worker thread pool.
#pragma once

#include "base/event.h"
#include "base/workersnapshot.h"
#include "model/runinfo.h"
#include "workers/worker.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <memory>

namespace threadlab {

class EventBatcher;
class EventLog;
class KernelSampler;
class LabResources;

/// What the shutdown achieved (see Lab::beginShutdown()).
struct ShutdownReport
{
    int stopped = 0; ///< workers that ended within the deadline
    QStringList stillRunning; ///< workers (and child threads) that could not be stopped: kept alive, said here
    qint64 durationNs = 0;
};

/// The lab's shutdown, one phase after the other (see Lab::beginShutdown()).
enum class ShutdownPhase { NotStarted, Requesting, Forcing, Finishing, Done };

class Lab : public QObject
{
    Q_OBJECT
public:
    explicit Lab(QObject *parent = nullptr);
    /// Never waits: a shutdown not finished yet ends at once (stop requested, force sent where it exists); what
    /// still runs is detached and kept alive.
    ~Lab() override;
    Q_DISABLE_COPY_MOVE(Lab)

    /// Every lab alive in this process (main thread), oldest first: what a termination signal shuts down.
    static QList<Lab *> instances();

    /// Makes a worker (state created). Returns nullptr and sets error (one line) on a bad spec.
    Worker *addWorker(const WorkerSpec &spec, QString *error = nullptr);
    QList<Worker *> workers() const;
    Worker *worker(int id) const;
    /// Forgets finished workers whose code has ended (their events stay in the log); the next worker added
    /// begins a new run.
    void clearFinished();
    /// Forgets a worker that was made but never started (a scenario loaded again); false if it has started.
    bool removeUnstarted(int workerId);
    /// What a worker is: its live snapshot, or the last one taken when the lab forgot it (id 0: unknown).
    WorkerSnapshot snapshotOf(int workerId) const;

    /// Begins a run: what the user starts together (a scenario run, or the workers one action adds). Workers
    /// added from now on join it; its zero is its first start request.
    RunInfo beginRun(const QString &title, const QString &scenario = {});
    /// Every run, in the order they began.
    const QList<RunInfo> &runs() const { return m_runs; }
    /// The run added workers join (id 0 before the first run began).
    RunInfo currentRun() const;

    EventLog &log() const { return *m_log; }
    std::shared_ptr<EventLog> logPtr() const { return m_log; }
    LabResources &resources() const { return *m_resources; }
    EventBatcher &batcher() const { return *m_batcher; }
    QThreadPool &pool() { return *m_pool; }
    KernelSampler &kernelSampler() const { return *m_kernel; }

    /// Off by default (the CLI, the tests): workers run at the app's own priority. The window turns it on: each
    /// worker thread started from then on (and the pool's new threads) runs with SCHED_IDLE, so that hundreds of
    /// busy workers never starve the window's event loop (workers/workerpriority.h).
    void setWorkersYield(bool yield);
    bool workersYield() const;

    /// Recovers the lab (fresh lab mutex, orphaned child threads stopped); one line per action.
    QStringList recover();

    /// Starts the documented shutdown order, driven by timers and the workers' signals (never blocks, never
    /// runs a nested event loop): refuse new work; request a stop of every worker (cancel futures, interrupt +
    /// quit threads, stop processes); after half the deadline (or once all ended) force what is left where
    /// force exists; stop orphaned child threads; wait for the rest until the deadline. Threads that still run
    /// are kept alive (never destroyed while running) and named in the report of shutdownFinished().
    void beginShutdown(int deadlineMs = 3000);
    ShutdownPhase shutdownPhase() const { return m_phase; }
    /// The report of the finished shutdown (empty before shutdownFinished()).
    const ShutdownReport &shutdownReport() const { return m_report; }

    /// Deprecated: beginShutdown() and a local event loop until it finishes. Left only for a few tests until they
    /// move to beginShutdown() + shutdownFinished() (the window's ShutdownProgress already has).
    ShutdownReport shutdown(int deadlineMs = 3000);

signals:
    void workerAdded(threadlab::Worker *worker);
    void workerRemoved(int workerId);
    void eventsRecorded(const threadlab::EventList &batch);
    /// A run began (beginRun(), or the first worker added after clearFinished()).
    void runBegan(const threadlab::RunInfo &run);
    /// A run began, or one changed (a worker joined, its zero became known).
    void runsChanged();
    /// The shutdown begun by beginShutdown() is over.
    void shutdownFinished(const threadlab::ShutdownReport &report);

private:
    void handleBatch(const EventList &batch);
    /// Starts or ends the kernel-state sampling of a worker's thread from its started / exited events.
    void watchKernelState(const Event &e);
    void advanceShutdown();
    void forceRemaining();
    void finishShutdown();
    bool liveWorkersEnded() const;
    QString adHocTitle(const RunInfo &run) const;

    std::shared_ptr<EventLog> m_log;
    std::shared_ptr<LabResources> m_resources;
    EventBatcher *m_batcher = nullptr;
    KernelSampler *m_kernel = nullptr; ///< child: reads /proc for the started workers' threads
    /// Owned; deliberately leaked if a task still runs at destruction (~QThreadPool would block on it).
    QThreadPool *m_pool = nullptr;
    QList<QPointer<Worker>> m_workers;
    int m_nextId = 1;
    bool m_shutDown = false;
    QHash<int, WorkerSnapshot> m_forgotten; ///< snapshots of the workers clearFinished() removed
    QList<RunInfo> m_runs;
    QList<int> m_adHocRuns; ///< runs whose title describes their workers (no title was given)
    bool m_newRunOnAdd = true; ///< the next worker added begins a run
    // The shutdown state machine.
    ShutdownPhase m_phase = ShutdownPhase::NotStarted;
    int m_deadlineMs = 0;
    qint64 m_shutdownT0 = 0;
    QTimer m_shutdownTick; ///< polls what has no signal (child threads, the pool) and the phase deadlines
    QList<QPointer<Worker>> m_shutdownAll;
    QList<QPointer<Worker>> m_shutdownLive;
    int m_childrenLeft = 0;
    ShutdownReport m_report;
};

} // namespace threadlab

Q_DECLARE_METATYPE(threadlab::ShutdownReport)
