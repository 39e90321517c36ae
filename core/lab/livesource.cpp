// The run source of a live Lab (see livesource.h).
#include "livesource.h"

#include "base/clock.h"
#include "events/eventbatcher.h"
#include "events/eventlog.h"
#include "lab.h"
#include "workers/worker.h"

namespace threadlab {

LiveSource::LiveSource(Lab *lab, QObject *parent)
    : RunSource(parent)
    , m_lab(lab)
{
    m_sampleTimer.setInterval(SampleIntervalMs);
    connect(&m_sampleTimer, &QTimer::timeout, this, &LiveSource::sampleNow);
    m_sampleTimer.start();
    if (!lab)
        return;
    connect(lab, &Lab::workerAdded, this, &LiveSource::handleWorkerAdded);
    connect(lab, &Lab::workerRemoved, this, &LiveSource::handleWorkerRemoved);
    connect(lab, &Lab::eventsRecorded, this, &LiveSource::handleEvents);
    // Deliver what is pending first, so seeding from the log below cannot count an event twice.
    lab->batcher().flush();
    const QList<Worker *> existing = lab->workers();
    for (Worker *w : existing) {
        handleWorkerAdded(w);
        m_entries[w->id()].fold->add(lab->log().forWorker(w->id()));
    }
    updateZeros();
}

LiveSource::~LiveSource() = default;

WorkerSnapshot LiveSource::snapshot(int workerId) const
{
    const auto it = m_entries.constFind(workerId);
    return it == m_entries.cend() ? WorkerSnapshot() : it->snapshot;
}

std::shared_ptr<const WorkerFold> LiveSource::fold(int workerId) const
{
    const auto it = m_entries.constFind(workerId);
    return it == m_entries.cend() ? nullptr : std::shared_ptr<const WorkerFold>(it->fold);
}

qint64 LiveSource::nowNs() const
{
    return monotonicNowNs();
}

Worker *LiveSource::worker(int workerId) const
{
    const auto it = m_entries.constFind(workerId);
    return it == m_entries.cend() ? nullptr : it->worker.data();
}

void LiveSource::beginRun(const QString &title, const QString &scenario, const QList<int> &workerIds)
{
    if (workerIds.isEmpty()) {
        m_newRunPending = true;
        m_pendingTitle = title;
        m_pendingScenario = scenario;
        return;
    }
    for (RunInfo &run : m_runs)
        for (int id : workerIds)
            run.workerIds.removeAll(id);
    m_runs.removeIf([](const RunInfo &r) { return r.workerIds.isEmpty(); });
    RunInfo run;
    run.id = m_runs.isEmpty() ? 1 : m_runs.last().id + 1;
    run.title = title;
    run.scenario = scenario;
    for (int id : workerIds)
        if (m_entries.contains(id))
            run.workerIds << id;
    m_runs << run;
    m_newRunPending = false;
    updateZeros();
    emit runsChanged();
}

void LiveSource::addToCurrentRun(int workerId)
{
    // The one place that decides which run a new worker joins (Lab::currentRun() will take over here).
    if (m_newRunPending || m_runs.isEmpty()) {
        RunInfo run;
        run.id = m_runs.isEmpty() ? 1 : m_runs.last().id + 1;
        run.title = m_pendingTitle;
        run.scenario = m_pendingScenario;
        m_runs << run;
        m_newRunPending = false;
        m_pendingTitle.clear();
        m_pendingScenario.clear();
    }
    m_runs.last().workerIds << workerId;
}

bool LiveSource::updateZeros()
{
    bool changed = false;
    for (RunInfo &run : m_runs) {
        QList<std::shared_ptr<const WorkerFold>> folds;
        for (int id : std::as_const(run.workerIds))
            if (const auto it = m_entries.constFind(id); it != m_entries.cend())
                folds << it->fold;
        const qint64 zero = runZeroOf(folds);
        // A run keeps its zero once set, even when the worker that made it is cleared.
        if (zero >= 0 && (run.zeroNs < 0 || zero < run.zeroNs)) {
            run.zeroNs = zero;
            changed = true;
        }
    }
    return changed;
}

void LiveSource::handleWorkerAdded(Worker *worker)
{
    if (!worker || m_entries.contains(worker->id()))
        return;
    Entry e;
    e.worker = worker;
    e.fold = std::make_shared<WorkerFold>(worker->id());
    e.snapshot = worker->snapshot();
    m_entries.insert(worker->id(), e);
    m_order << worker->id();
    addToCurrentRun(worker->id());
    emit workersAdded({ worker->id() });
    emit runsChanged();
}

void LiveSource::handleWorkerRemoved(int workerId)
{
    if (!m_entries.remove(workerId))
        return;
    m_order.removeAll(workerId);
    // Runs keep their worker lists (a run happened as it happened); the next worker added begins a new run.
    m_newRunPending = true;
    emit workersRemoved({ workerId });
}

void LiveSource::handleEvents(const EventList &batch)
{
    QList<int> changed;
    QSet<int> milestones;
    for (const Event &e : batch) {
        const auto it = m_entries.find(e.worker);
        if (it == m_entries.end())
            continue;
        it->fold->add(e);
        if (!changed.contains(e.worker))
            changed << e.worker;
        if (e.kind != EventKind::Progress)
            milestones.insert(e.worker);
    }
    if (changed.isEmpty())
        return;
    // A milestone (an end, an outcome, a leak probe) brings new figures: sample those workers now, not at the
    // next tick. Progress alone does not (a process host's samples arrive many times a second).
    for (int id : std::as_const(milestones)) {
        Entry &entry = m_entries[id];
        if (entry.worker)
            entry.snapshot = entry.worker->snapshot();
    }
    const bool zeros = updateZeros();
    emit workersChanged(changed);
    if (zeros)
        emit runsChanged();
}

void LiveSource::sampleNow()
{
    QList<int> changed;
    for (int id : std::as_const(m_order)) {
        Entry &entry = m_entries[id];
        if (!entry.worker)
            continue;
        const WorkerFold &f = *entry.fold;
        if (f.times().startRequested < 0)
            continue; // nothing to sample before it starts
        // Sample what runs, and what ended but has not had its leaks probed yet.
        const bool running = f.firstNs() >= 0 && f.times().startRequested >= 0 && !f.hasEnded();
        if (!running && entry.snapshot.leaksKnown)
            continue;
        WorkerSnapshot s = entry.worker->snapshot();
        // Running workers change every tick (their elapsed time grows), so they are always reported.
        if (running || s.leaksKnown != entry.snapshot.leaksKnown || s.stepsDone != entry.snapshot.stepsDone
            || s.cpuTimeNs != entry.snapshot.cpuTimeNs || s.orphanPids != entry.snapshot.orphanPids) {
            entry.snapshot = std::move(s);
            changed << id;
        }
    }
    if (!changed.isEmpty())
        emit workersChanged(changed);
}

} // namespace threadlab
