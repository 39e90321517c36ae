// The lab: workers, the event log and its batcher, shared resources, the worker pool, and the shutdown order.
#include "lab.h"

#include "ledger/labresources.h"
#include "base/clock.h"
#include "events/eventbatcher.h"
#include "events/eventlog.h"
#include "workerfactory.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

namespace threadlab {

namespace {

constexpr int PoolThreads = 512;
constexpr int DefaultShutdownMs = 3000;

/// Runs the owner's events until done() or the deadline, with small waits in between (never blocks long).
template <typename Done> void pumpUntil(const QDeadlineTimer &deadline, Done done)
{
    while (!done() && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (!done())
            QThread::msleep(2);
    }
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

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
    connect(m_batcher, &EventBatcher::eventsRecorded, this, &Lab::eventsRecorded);
}

Lab::~Lab()
{
    if (!m_shutDown)
        shutdown(DefaultShutdownMs);
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
    m_log->record(id, EventKind::Created, qint64(spec.backend),
        QStringLiteral("%1 %2 %3").arg(worker->spec().name, toString(spec.backend), spec.workload));
    m_workers.append(worker);
    emit workerAdded(worker);
    return worker;
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
            m_workers.removeAt(i);
            const int id = w->id();
            w->deleteLater();
            emit workerRemoved(id);
        }
    }
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
    ShutdownReport report;
    const qint64 t0 = monotonicNowNs();
    const QDeadlineTimer deadline(qMax(0, deadlineMs));
    const QDeadlineTimer half(qMax(0, deadlineMs) / 2);
    m_shutDown = true; // 1. refuse new work
    m_log->record(LabWorkerId, EventKind::Note, deadlineMs, QStringLiteral("shutdown: stopping every worker"));

    // Guarded pointers: events are pumped below, and nothing must dangle if a worker is deleted meanwhile.
    QList<QPointer<Worker>> all;
    QList<QPointer<Worker>> live;
    for (Worker *w : workers()) {
        all.append(w);
        if (!w->hasEnded())
            live.append(w);
    }
    const auto allEnded = [&live] {
        for (const QPointer<Worker> &w : live)
            if (w && !w->hasEnded())
                return false;
        return true;
    };
    const StopPolicy policy { deadlineMs, deadlineMs };

    // 2. ask every worker (cancel futures, interrupt + quit threads, request_stop, stop processes)
    for (const QPointer<Worker> &w : live)
        if (w && !w->hasEnded())
            w->stop(StopMethod::Request, policy);
    // 3. wait up to half the deadline, pumping events so joins are delivered
    pumpUntil(half, allEnded);

    // 4. force what is left where force exists (thread and eventloop: terminate; process: its kill)
    for (const QPointer<Worker> &w : live) {
        if (!w || w->hasEnded())
            continue;
        // A process worker's group kill also takes its children; threads have only terminate().
        if (w->refusal(StopMethod::ForceGroup).isEmpty())
            w->stop(StopMethod::ForceGroup, policy);
        else if (w->refusal(StopMethod::Force).isEmpty())
            w->stop(StopMethod::Force, policy);
    }
    // 5. stop orphaned child threads (spawner propagate=false), then wait for the rest
    const QDeadlineTimer childDeadline(qMax<qint64>(0, deadline.remainingTime() / 2));
    const int childrenLeft = m_resources->stopChildren(int(childDeadline.remainingTime()));
    pumpUntil(deadline, allEnded);
    m_pool->waitForDone(int(qMax<qint64>(0, deadline.remainingTime())));
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    // Orphaned processes (a host killed alone earlier leaves its children running): leave none behind.
    for (const QPointer<Worker> &w : all)
        if (w && w->hasEnded())
            for (const QString &line : w->recoverLeftovers())
                m_log->record(LabWorkerId, EventKind::Note, 0, QStringLiteral("shutdown: ") + line);

    // 6. report; never destroy what still runs: detach it from the lab and keep it alive
    for (const QPointer<Worker> &w : live) {
        if (!w || w->hasEnded()) {
            ++report.stopped;
            continue;
        }
        report.stillRunning << describeWorker(w) + QStringLiteral(": still running after the shutdown's ")
                + QString::number(deadlineMs) + QStringLiteral(" ms; kept alive, not destroyed");
        m_log->record(w->id(), EventKind::Note, 0,
            QStringLiteral("shutdown: still running; kept alive (a running thread is never destroyed)"));
        w->setParent(nullptr); // deliberately leaked with its thread and shared state
        m_workers.removeAll(w);
    }
    if (childrenLeft > 0)
        report.stillRunning
            << QStringLiteral("%1 child thread(s) of spawners: still running; kept alive").arg(childrenLeft);
    report.durationNs = monotonicNowNs() - t0;
    m_log->record(LabWorkerId, EventKind::Note, report.durationNs,
        QStringLiteral("shutdown: %1 stopped, %2 still running").arg(report.stopped).arg(report.stillRunning.size()));
    m_batcher->flush();
    return report;
}

} // namespace threadlab
