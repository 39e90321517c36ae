// The lanes of a comparison re-zeroed at their stop requests (see alignedsource.h).
#include "alignedsource.h"

#include <algorithm>

namespace threadlab {

AlignedSource::AlignedSource(const RunComparison &comparison, QObject *parent)
    : RunSource(parent)
{
    m_run.id = 1;
    m_run.title = comparison.a().label + u" vs "_qs + comparison.b().label;
    m_run.zeroNs = AlignZeroNs;
    for (const ComparedWorker &w : comparison.workers()) {
        if (w.indexA >= 0)
            addLane(comparison.a(), 0, w.indexA);
        if (w.indexB >= 0)
            addLane(comparison.b(), 1, w.indexB);
    }
}

AlignedSource::~AlignedSource() = default;

qint64 AlignedSource::alignmentOf(const WorkerFold &fold)
{
    const KeyTimes &k = fold.times();
    if (k.stopRequested >= 0)
        return k.stopRequested;
    if (k.startRequested >= 0)
        return k.startRequested;
    return fold.firstNs();
}

void AlignedSource::addLane(const CompareSide &side, int sideIndex, int index)
{
    const WorkerFold &original = *side.folds.at(index);
    const qint64 at = alignmentOf(original);
    const int id = int(m_order.size()) + 1;
    const qint64 shift = at >= 0 ? at - AlignZeroNs : 0;
    EventList events;
    events.reserve(qsizetype(original.events().size()));
    for (Event e : original.events()) {
        e.worker = id;
        e.tNs -= shift;
        events.append(e);
    }
    auto fold = std::make_shared<WorkerFold>(WorkerFold::of(id, events));
    m_nowNs = std::max(m_nowNs, fold->lastNs());
    WorkerSnapshot s = side.workers.at(index);
    s.id = id;
    s.name = (sideIndex == 0 ? u"A · "_qs : u"B · "_qs) + s.name;
    s.stepsDone = side.steps.at(index);
    m_order.append(id);
    m_snapshots.insert(id, s);
    m_folds.insert(id, std::move(fold));
    m_shift.insert(id, shift);
    m_origin.insert(id, { sideIndex, index });
    m_run.workerIds.append(id);
}

} // namespace threadlab
