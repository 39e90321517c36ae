// The run source of a Recording (see recordedsource.h).
#include "recordedsource.h"

namespace threadlab {

RecordedSource::RecordedSource(Recording recording, QObject *parent)
    : RunSource(parent)
    , m_recording(std::move(recording))
{
    QHash<int, EventList> byWorker;
    for (const Event &e : std::as_const(m_recording.events))
        byWorker[e.worker] << e;
    QList<std::shared_ptr<const WorkerFold>> folds;
    m_run.id = 1;
    m_run.title = m_recording.title;
    m_run.scenario = m_recording.scenario;
    for (const RecordedWorker &w : std::as_const(m_recording.workers)) {
        if (m_snapshots.contains(w.id))
            continue; // a malformed file may repeat an id: the first one stands
        m_order << w.id;
        m_snapshots.insert(w.id, snapshotOf(w));
        auto fold = std::make_shared<const WorkerFold>(WorkerFold::of(w.id, byWorker.value(w.id)));
        folds << fold;
        m_folds.insert(w.id, fold);
        m_run.workerIds << w.id;
    }
    m_run.zeroNs = runZeroOf(folds);
}

RecordedSource::~RecordedSource() = default;

qint64 RecordedSource::nowNs() const
{
    return lastNs();
}

WorkerSnapshot RecordedSource::snapshotOf(const RecordedWorker &w)
{
    WorkerSnapshot s;
    s.id = w.id;
    s.name = w.name;
    s.backend = w.backend;
    s.workload = w.workload;
    s.params = w.params;
    s.stepsDone = w.stepsDone;
    s.cpuTimeNs = w.cpuTimeNs;
    s.leaks = w.leaks;
    s.leaksKnown = true;
    s.stderrTail = w.stderrTail;
    s.hostPid = w.hostPid;
    return s;
}

} // namespace threadlab
