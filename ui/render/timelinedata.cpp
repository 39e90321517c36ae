// The timeline's lanes, read from a run source's folds (see timelinedata.h).
#include "timelinedata.h"

#include "model/runsource.h"

#include <algorithm>

namespace threadlab {

TimelineData TimelineData::of(const RunSource &source)
{
    TimelineData data;
    for (int id : source.workerIds()) {
        auto fold = source.fold(id);
        if (!fold)
            continue;
        const WorkerSnapshot s = source.snapshot(id);
        TimelineLane lane;
        lane.workerId = id;
        lane.name = s.name;
        lane.subtitle = toString(s.backend) + u" · "_qs + s.workload;
        lane.fold = std::move(fold);
        data.m_index.insert(id, int(data.m_lanes.size()));
        data.m_lanes.push_back(std::move(lane));
    }
    data.m_zeroNs = source.currentZeroNs();
    if (const auto run = source.currentRun())
        data.m_runWorkers = run->workerIds;
    return data;
}

qsizetype TimelineData::filter(const QString &filter)
{
    const qsizetype before = qsizetype(m_lanes.size());
    const QStringList words = filter.split(u' ', Qt::SkipEmptyParts);
    if (words.isEmpty())
        return before;
    const auto matches = [&words](const TimelineLane &l) {
        const QString outcome = toString(l.fold->outcome());
        for (const QString &w : words)
            if (!l.name.contains(w, Qt::CaseInsensitive) && !l.subtitle.contains(w, Qt::CaseInsensitive)
                && !outcome.contains(w, Qt::CaseInsensitive))
                return false;
        return true;
    };
    std::vector<TimelineLane> kept;
    m_index.clear();
    for (TimelineLane &l : m_lanes)
        if (matches(l)) {
            m_index.insert(l.workerId, int(kept.size()));
            kept.push_back(std::move(l));
        }
    m_lanes = std::move(kept);
    return before;
}

const TimelineLane *TimelineData::lane(int workerId) const
{
    const int idx = laneIndex(workerId);
    return idx >= 0 ? &m_lanes[size_t(idx)] : nullptr;
}

qsizetype TimelineData::eventCount() const
{
    qsizetype n = 0;
    for (const TimelineLane &l : m_lanes)
        n += l.fold->eventCount();
    return n;
}

qint64 TimelineData::firstNs() const
{
    qint64 first = -1;
    for (const TimelineLane &l : m_lanes)
        if (l.fold->firstNs() >= 0)
            first = first < 0 ? l.fold->firstNs() : std::min(first, l.fold->firstNs());
    return first;
}

qint64 TimelineData::lastNs() const
{
    qint64 last = -1;
    for (const TimelineLane &l : m_lanes)
        last = std::max(last, l.fold->lastNs());
    return last;
}

qint64 TimelineData::viewStartNs() const
{
    if (m_zeroNs < 0)
        return firstNs();
    // From the run's zero (its first start request): a lesson loaded now and run a minute later must not be
    // squashed to the right behind the time its workers sat created, and an older run's events stay left of it.
    return m_zeroNs;
}

bool TimelineData::hasOpenSpans() const
{
    return std::any_of(m_lanes.begin(), m_lanes.end(),
        [](const TimelineLane &l) { return l.fold->times().startRequested >= 0 && !l.fold->hasEnded(); });
}

std::optional<SpanKind> TimelineData::spanKindOf(WorkerState state)
{
    switch (state) {
    case WorkerState::Starting:
        return SpanKind::Starting;
    case WorkerState::Running:
        return SpanKind::Running;
    case WorkerState::Paused:
        return SpanKind::Paused;
    case WorkerState::Stopping:
        return SpanKind::Stopping;
    case WorkerState::CleaningUp:
        return SpanKind::CleaningUp;
    case WorkerState::Unresponsive:
        return SpanKind::Unresponsive;
    case WorkerState::Created:
    case WorkerState::Finished:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace threadlab
