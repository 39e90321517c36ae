// The lab: workers, the event log and its batcher, shared resources, the worker pool, and the shutdown order.
#include "lab.h"

#include "base/clock.h"
#include "events/eventbatcher.h"
#include "events/eventlog.h"
#include "kernelsampler.h"
#include "ledger/labresources.h"
#include "termination.h"
#include "workerfactory.h"

#include <QEventLoop>
#include <unistd.h>

namespace threadlab {

namespace {

constexpr int PoolThreads = 512;
/// How often the shutdown polls what has no signal (orphaned child threads, pool tasks).
constexpr int ShutdownTickMs = 10;

QList<Lab *> s_labs; ///< main thread only

QString describeWorker(const Worker *w)
{
    return QStringLiteral("%1 (%2, %3)").arg(w->spec().name, toString(w->spec().backend), w->spec().workload);
}

} // namespace

Lab::Lab(QObject *parent)
    : QObject(parent)
    , m_log(std::make_shared<EventLog>())
    , m_resources(std::make_shared<LabResources>())
    , m_pool(new QThreadPool)
{
    m_pool->setMaxThreadCount(PoolThreads);
    m_batcher = new EventBatcher(m_log, this);
    connect(m_batcher, &EventBatcher::eventsRecorded, this, &Lab::handleBatch);
    m_kernel = new KernelSampler(m_log, this);
    m_shutdownTick.setInterval(ShutdownTickMs);
    connect(&m_shutdownTick, &QTimer::timeout, this, &Lab::advanceShutdown);
    s_labs.append(this);
    // The app is ending on a signal: a lab made now (the next matrix cell, the next bench case) takes no work.
    if (Termination::terminating()) {
        m_shutDown = true;
        QTimer::singleShot(0, this, [this] { beginShutdown(0); });
    }
}

QList<Lab *> Lab::instances()
{
    return s_labs;
}

void Lab::setWorkersYield(bool yield)
{
    m_resources->setWorkersYield(yield);
    // Qt's own facility for the pool: its new threads start with QThread::IdlePriority (SCHED_IDLE on Linux).
    m_pool->setThreadPriority(yield ? QThread::IdlePriority : QThread::InheritPriority);
}

bool Lab::workersYield() const
{
    return m_resources->workersYield();
}

Lab::~Lab()
{
    s_labs.removeAll(this);
    // Owners run beginShutdown() and wait for shutdownFinished(). A lab destroyed before that never waits (no
    // event loop here, nested or not): every worker is asked to stop, what has force is forced, and what still
    // runs is detached and kept alive (never destroyed while its code runs).
    if (m_phase == ShutdownPhase::NotStarted)
        beginShutdown(0);
    if (m_phase == ShutdownPhase::Requesting)
        forceRemaining();
    if (m_phase != ShutdownPhase::Done) {
        m_childrenLeft = m_resources->stopChildren(0);
        finishShutdown();
    }
    // Workers left are ended (shutdown() detached the others): destroy them before the pool.
    for (const QPointer<Worker> &w : std::as_const(m_workers))
        delete w.data();
    m_workers.clear();
    // ~QThreadPool waits for its tasks with no timeout: keep a busy pool alive rather than block.
    if (m_pool->waitForDone(0))
        delete m_pool;
    m_pool = nullptr;
}

Worker *Lab::addWorker(const WorkerSpec &spec, QString *error)
{
    if (m_shutDown) {
        if (error)
            *error = QStringLiteral("the lab is shut down");
        return nullptr;
    }
    const int id = m_nextId;
    Worker *worker = WorkerFactory::create(id, spec, m_log, m_resources, m_pool, this, error);
    if (!worker)
        return nullptr;
    ++m_nextId;
    if (m_newRunOnAdd || m_runs.isEmpty()) {
        beginRun({});
        m_adHocRuns.append(m_runs.constLast().id);
    }
    RunInfo &run = m_runs.last();
    run.workerIds.append(id);
    m_log->record(id, EventKind::Created, qint64(spec.backend),
        QStringLiteral("%1 %2 %3").arg(worker->spec().name, toString(spec.backend), spec.workload));
    m_workers.append(worker);
    if (m_adHocRuns.contains(run.id))
        run.title = adHocTitle(run);
    emit workerAdded(worker);
    emit runsChanged();
    return worker;
}

QString Lab::adHocTitle(const RunInfo &run) const
{
    // "3× thread/cpu-spin, 1× process/blocking-wait": what the action started, in the order it was added.
    QStringList order;
    QHash<QString, int> counts;
    for (int id : run.workerIds) {
        const WorkerSnapshot s = snapshotOf(id);
        const QString key = toString(s.backend) + u'/' + s.workload;
        if (!counts.contains(key))
            order << key;
        ++counts[key];
    }
    QStringList parts;
    for (const QString &key : std::as_const(order))
        parts << QStringLiteral("%1× %2").arg(counts.value(key)).arg(key);
    return parts.join(QStringLiteral(", "));
}

RunInfo Lab::beginRun(const QString &title, const QString &scenario)
{
    RunInfo run;
    run.id = m_runs.isEmpty() ? 1 : m_runs.constLast().id + 1;
    run.title = title;
    run.scenario = scenario;
    m_runs.append(run);
    m_newRunOnAdd = false;
    emit runBegan(run);
    emit runsChanged();
    return run;
}

RunInfo Lab::currentRun() const
{
    return m_runs.isEmpty() || m_newRunOnAdd ? RunInfo {} : m_runs.constLast();
}

WorkerSnapshot Lab::snapshotOf(int workerId) const
{
    if (const Worker *w = worker(workerId))
        return w->snapshot();
    return m_forgotten.value(workerId);
}

void Lab::handleBatch(const EventList &batch)
{
    // A run's zero is its first start request.
    bool changed = false;
    for (const Event &e : batch) {
        watchKernelState(e);
        if (e.kind != EventKind::StartRequested)
            continue;
        for (RunInfo &run : m_runs) {
            if (run.workerIds.contains(e.worker)) {
                if (run.zeroNs < 0 || e.tNs < run.zeroNs) {
                    run.zeroNs = e.tNs;
                    changed = true;
                }
                break;
            }
        }
    }
    emit eventsRecorded(batch);
    if (changed)
        emit runsChanged();
}

void Lab::watchKernelState(const Event &e)
{
    if (e.kind == EventKind::Exited || e.kind == EventKind::Joined) {
        m_kernel->unwatch(e.worker);
        return;
    }
    if (e.kind != EventKind::Started || e.value <= 0)
        return;
    const Worker *w = worker(e.worker);
    if (!w || w->hasEnded())
        return;
    // The tid is the one the worker recorded itself: in the app's own process, in its host process, or (a
    // python-process child, which reports its own pid) the child's main thread.
    const Backend backend = w->spec().backend;
    const qint64 pid = isInProcess(backend) ? qint64(::getpid())
        : backend == Backend::PythonProcess ? e.value
                                            : w->snapshot().hostPid;
    m_kernel->watch(e.worker, pid, e.value);
}

QList<Worker *> Lab::workers() const
{
    QList<Worker *> out;
    for (const QPointer<Worker> &w : m_workers)
        if (w)
            out.append(w.data());
    return out;
}

Worker *Lab::worker(int id) const
{
    for (const QPointer<Worker> &w : m_workers)
        if (w && w->id() == id)
            return w.data();
    return nullptr;
}

void Lab::clearFinished()
{
    for (qsizetype i = m_workers.size() - 1; i >= 0; --i) {
        Worker *w = m_workers.at(i).data();
        if (!w) {
            m_workers.removeAt(i);
            continue;
        }
        if (w->isFinished() && w->hasEnded()) {
            m_forgotten.insert(w->id(), w->snapshot());
            m_newRunOnAdd = true; // clearing the table ends the run: what is added next is a new one
            m_workers.removeAt(i);
            const int id = w->id();
            w->deleteLater();
            emit workerRemoved(id);
        }
    }
}

bool Lab::removeUnstarted(int workerId)
{
    for (qsizetype i = 0; i < m_workers.size(); ++i) {
        Worker *w = m_workers.at(i).data();
        if (!w || w->id() != workerId)
            continue;
        if (w->state() != WorkerState::Created)
            return false;
        // Never started: no thread, process or resource to own; its Created event stays in the log.
        // Never started, it was never part of a run: a recording of the run does not carry it.
        for (RunInfo &run : m_runs)
            run.workerIds.removeAll(workerId);
        m_workers.removeAt(i);
        w->deleteLater();
        emit workerRemoved(workerId);
        return true;
    }
    return false;
}

QStringList Lab::recover()
{
    // A short bound: this runs on the GUI thread. Children still running after it are reported as such.
    QStringList lines = m_resources->recover(200);
    for (const QPointer<Worker> &w : std::as_const(m_workers))
        if (w && w->hasEnded())
            lines << w->recoverLeftovers();
    for (const QString &line : lines)
        m_log->record(LabWorkerId, EventKind::Note, 0, QStringLiteral("recover: ") + line);
    return lines;
}

ShutdownReport Lab::shutdown(int deadlineMs)
{
    // Only for the tests tst_lab/tst_runsource/tst_workertablemodel until they use
    // beginShutdown() + shutdownFinished(); the CLI, the runners and ~Lab never call it.
    if (m_phase == ShutdownPhase::Done)
        return m_report;
    QEventLoop loop;
    connect(this, &Lab::shutdownFinished, &loop, &QEventLoop::quit);
    beginShutdown(deadlineMs);
    if (m_phase != ShutdownPhase::Done)
        loop.exec();
    return m_report;
}

void Lab::beginShutdown(int deadlineMs)
{
    if (m_phase != ShutdownPhase::NotStarted)
        return;
    m_deadlineMs = qMax(0, deadlineMs);
    m_shutdownT0 = monotonicNowNs();
    m_shutDown = true; // 1. refuse new work
    m_phase = ShutdownPhase::Requesting;
    m_log->record(LabWorkerId, EventKind::Note, m_deadlineMs, QStringLiteral("shutdown: stopping every worker"));

    // Guarded pointers: a worker deleted meanwhile must not dangle.
    for (Worker *w : workers()) {
        m_shutdownAll.append(w);
        if (!w->hasEnded())
            m_shutdownLive.append(w);
    }
    const StopPolicy policy { m_deadlineMs, m_deadlineMs };
    // 2. ask every worker (cancel futures, interrupt + quit threads, request_stop, stop processes)
    for (const QPointer<Worker> &w : std::as_const(m_shutdownLive)) {
        if (w && !w->hasEnded()) {
            connect(w.data(), &Worker::ended, this, &Lab::advanceShutdown, Qt::UniqueConnection);
            w->stop(StopMethod::Request, policy);
            w->sendPendingRequest(); // a shutdown does not wait for the loop (~Lab may have none to come)
        }
    }
    m_shutdownTick.start();
    // Decided from the event loop, so shutdownFinished() never fires inside this call.
    QTimer::singleShot(0, this, &Lab::advanceShutdown);
}

bool Lab::liveWorkersEnded() const
{
    for (const QPointer<Worker> &w : m_shutdownLive)
        if (w && !w->hasEnded())
            return false;
    return true;
}

void Lab::advanceShutdown()
{
    const qint64 elapsedMs = (monotonicNowNs() - m_shutdownT0) / 1'000'000;
    switch (m_phase) {
    case ShutdownPhase::NotStarted:
    case ShutdownPhase::Done:
        return;
    case ShutdownPhase::Requesting:
        // 3. half the deadline for the requests, unless everything ended sooner
        if (!liveWorkersEnded() && elapsedMs < m_deadlineMs / 2)
            return;
        forceRemaining();
        [[fallthrough]];
    case ShutdownPhase::Forcing:
        // 5. orphaned child threads, polled (their flag is set; each stops at its next check)
        m_childrenLeft = m_resources->stopChildren(0);
        if (m_childrenLeft > 0 && elapsedMs < m_deadlineMs * 3 / 4)
            return;
        m_phase = ShutdownPhase::Finishing;
        [[fallthrough]];
    case ShutdownPhase::Finishing:
        // 6. the rest until the deadline: workers that end, pool tasks that return
        if ((!liveWorkersEnded() || !m_pool->waitForDone(0)) && elapsedMs < m_deadlineMs)
            return;
        m_childrenLeft = m_resources->stopChildren(0);
        finishShutdown();
        return;
    }
}

void Lab::forceRemaining()
{
    m_phase = ShutdownPhase::Forcing;
    // 4. force what is left where force exists (thread and eventloop: terminate; process: its kill)
    const StopPolicy policy { m_deadlineMs, m_deadlineMs };
    for (const QPointer<Worker> &w : std::as_const(m_shutdownLive)) {
        if (!w || w->hasEnded())
            continue;
        // A process worker's group kill also takes its children; threads have only terminate().
        if (w->refusal(StopMethod::ForceGroup).isEmpty())
            w->stop(StopMethod::ForceGroup, policy);
        else if (w->refusal(StopMethod::Force).isEmpty())
            w->stop(StopMethod::Force, policy);
    }
}

void Lab::finishShutdown()
{
    m_shutdownTick.stop();
    m_phase = ShutdownPhase::Done;
    ShutdownReport report;
    // Orphaned processes (a host killed alone earlier leaves its children running): leave none behind.
    for (const QPointer<Worker> &w : std::as_const(m_shutdownAll))
        if (w && w->hasEnded())
            for (const QString &line : w->recoverLeftovers())
                m_log->record(LabWorkerId, EventKind::Note, 0, QStringLiteral("shutdown: ") + line);

    // Never destroy what still runs: detach it from the lab and keep it alive.
    for (const QPointer<Worker> &w : std::as_const(m_shutdownLive)) {
        if (!w || w->hasEnded()) {
            ++report.stopped;
            continue;
        }
        report.stillRunning << describeWorker(w) + QStringLiteral(": still running after the shutdown's ")
                + QString::number(m_deadlineMs) + QStringLiteral(" ms; kept alive, not destroyed");
        m_log->record(w->id(), EventKind::Note, 0,
            QStringLiteral("shutdown: still running; kept alive (a running thread is never destroyed)"));
        w->setParent(nullptr); // deliberately leaked with its thread and shared state
        m_workers.removeAll(w);
    }
    if (m_childrenLeft > 0)
        report.stillRunning
            << QStringLiteral("%1 child thread(s) of spawners: still running; kept alive").arg(m_childrenLeft);
    report.durationNs = monotonicNowNs() - m_shutdownT0;
    m_log->record(LabWorkerId, EventKind::Note, report.durationNs,
        QStringLiteral("shutdown: %1 stopped, %2 still running").arg(report.stopped).arg(report.stillRunning.size()));
    m_batcher->flush();
    m_report = report;
    emit shutdownFinished(m_report);
}

} // namespace threadlab
