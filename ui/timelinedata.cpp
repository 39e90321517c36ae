// The timeline's store: per-worker lanes of time-sorted events, state spans and stop measurements.
#include "timelinedata.h"

#include "model/workerfold.h"

#include <algorithm>

namespace threadlab {

void TimelineData::addLane(int workerId, const QString &name, const QString &subtitle)
{
    const int idx = laneIndex(workerId);
    if (idx >= 0) {
        m_lanes[size_t(idx)].name = name;
        m_lanes[size_t(idx)].subtitle = subtitle;
        return;
    }
    TimelineLane lane;
    lane.workerId = workerId;
    lane.name = name;
    lane.subtitle = subtitle;
    m_index.insert(workerId, int(m_lanes.size()));
    m_lanes.push_back(std::move(lane));
}

void TimelineData::removeLane(int workerId)
{
    const int idx = laneIndex(workerId);
    if (idx < 0)
        return;
    m_eventCount -= qsizetype(m_lanes[size_t(idx)].marks.size() + m_lanes[size_t(idx)].progressNs.size());
    m_lanes.erase(m_lanes.begin() + idx);
    m_index.clear();
    for (size_t i = 0; i < m_lanes.size(); ++i)
        m_index.insert(m_lanes[i].workerId, int(i));
}

void TimelineData::clear()
{
    m_lanes.clear();
    m_index.clear();
    m_eventCount = 0;
    m_firstNs = m_lastNs = -1;
}

std::optional<SpanKind> TimelineData::spanAfter(EventKind kind)
{
    switch (kind) {
    case EventKind::StartRequested:
        return SpanKind::Starting;
    case EventKind::Started:
    case EventKind::Resumed:
        return SpanKind::Running;
    case EventKind::Paused:
        return SpanKind::Paused;
    case EventKind::StopRequested:
        return SpanKind::Stopping;
    case EventKind::StopObserved:
    case EventKind::CleanupBegin:
        return SpanKind::CleaningUp;
    case EventKind::KillTimeout:
        return SpanKind::Unresponsive;
    default:
        return std::nullopt;
    }
}

void TimelineData::apply(TimelineLane &lane, const Event &e)
{
    ++m_eventCount;
    if (m_firstNs < 0 || e.tNs < m_firstNs)
        m_firstNs = e.tNs;
    m_lastNs = std::max(m_lastNs, e.tNs);

    if (e.kind == EventKind::Progress || e.kind == EventKind::FirstStep) {
        if (lane.progressNs.empty() || lane.progressNs.back() <= e.tNs)
            lane.progressNs.push_back(e.tNs);
        else
            lane.progressNs.insert(std::upper_bound(lane.progressNs.begin(), lane.progressNs.end(), e.tNs), e.tNs);
        if (e.kind == EventKind::Progress)
            return;
    }
    const auto byTime = [](const Event &a, const Event &b) { return a.tNs < b.tNs; };
    if (lane.marks.empty() || lane.marks.back().tNs <= e.tNs)
        lane.marks.push_back(e);
    else
        lane.marks.insert(std::upper_bound(lane.marks.begin(), lane.marks.end(), e, byTime), e);

    switch (e.kind) {
    case EventKind::StartRequested:
    case EventKind::Started:
        if (lane.startNs < 0)
            lane.startNs = e.tNs;
        break;
    case EventKind::StopRequested:
        if (lane.stopRequestNs < 0)
            lane.stopRequestNs = e.tNs;
        break;
    case EventKind::KillSent:
        if (lane.killSentNs < 0)
            lane.killSentNs = e.tNs;
        break;
    case EventKind::Exited:
        if (lane.exitedNs < 0)
            lane.exitedNs = e.tNs;
        break;
    case EventKind::Joined:
        if (lane.joinedNs < 0)
            lane.joinedNs = e.tNs;
        break;
    default:
        break;
    }

    const bool ends = e.kind == EventKind::Exited || e.kind == EventKind::Joined;
    const auto next = spanAfter(e.kind);
    if (ends || next) {
        if (!lane.spans.empty() && lane.spans.back().endNs < 0) {
            // An unresponsive span only ends when the code really ends, not on a later request.
            if (lane.spans.back().kind == SpanKind::Unresponsive && !ends)
                return;
            if (next && lane.spans.back().kind == *next)
                return;
            lane.spans.back().endNs = e.tNs;
        }
        if (ends)
            lane.ended = true;
        else if (!lane.ended)
            lane.spans.push_back({ e.tNs, -1, *next });
    }
    if (e.kind == EventKind::StopObserved || e.kind == EventKind::Exited || e.kind == EventKind::Joined
        || e.kind == EventKind::KillSent || e.kind == EventKind::CleanupEnd) {
        lane.latencies
            = WorkerFold::of(lane.workerId, EventList(lane.marks.begin(), lane.marks.end())).latencies();
    }
}

void TimelineData::addEvents(const EventList &batch)
{
    for (const Event &e : batch) {
        const int idx = laneIndex(e.worker);
        if (idx >= 0)
            apply(m_lanes[size_t(idx)], e);
    }
}

const TimelineLane *TimelineData::lane(int workerId) const
{
    const int idx = laneIndex(workerId);
    return idx >= 0 ? &m_lanes[size_t(idx)] : nullptr;
}

bool TimelineData::hasOpenSpans() const
{
    return std::any_of(m_lanes.begin(), m_lanes.end(),
        [](const TimelineLane &l) { return !l.spans.empty() && l.spans.back().endNs < 0; });
}

} // namespace threadlab
