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
    // The Lab owns the runs (their workers and zeros): a change there is a change here.
    connect(lab, &Lab::runsChanged, this, &RunSource::runsChanged);
    // Deliver what is pending first, so seeding from the log below cannot count an event twice.
    lab->batcher().flush();
    const QList<Worker *> existing = lab->workers();
    for (Worker *w : existing) {
        handleWorkerAdded(w);
        m_entries[w->id()].fold->add(lab->log().forWorker(w->id()));
    }
}

LiveSource::~LiveSource() = default;

WorkerSnapshot LiveSource::snapshot(int workerId) const
{
    const auto it = m_entries.constFind(workerId);
    return it == m_entries.cend() ? WorkerSnapshot() : it->snapshot;
}

WorkerPhase LiveSource::phase(int workerId) const
{
    const auto it = m_entries.constFind(workerId);
    if (it == m_entries.cend())
        return WorkerPhase::None;
    return it->worker ? it->worker->phase() : it->snapshot.phase;
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

QList<RunInfo> LiveSource::runs() const
{
    return m_lab ? m_lab->runs() : QList<RunInfo> {};
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
    emit workersAdded({ worker->id() });
}

void LiveSource::handleWorkerRemoved(int workerId)
{
    if (!m_entries.remove(workerId))
        return;
    m_order.removeAll(workerId);
    emit workersRemoved({ workerId });
}

void LiveSource::handleEvents(const EventList &batch)
{
    QList<int> changed;
    QSet<int> seen; // a batch holds events of hundreds of workers: no list scan per event
    QSet<int> milestones;
    for (const Event &e : batch) {
        const auto it = m_entries.find(e.worker);
        if (it == m_entries.end())
            continue;
        it->fold->add(e);
        if (!seen.contains(e.worker)) {
            seen.insert(e.worker);
            changed << e.worker;
        }
        if (e.kind != EventKind::Progress && e.kind != EventKind::KernelState)
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
    emit workersChanged(changed);
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
