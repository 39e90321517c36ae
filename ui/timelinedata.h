// The timeline's store: per-worker lanes of time-sorted events, state spans and stop measurements.
#pragma once

#include "base/event.h"
#include "base/measurements.h"
#include "statestyle.h"

#include <QHash>
#include <QString>
#include <vector>

namespace threadlab {

/// One span of a lane: a state between two times (endNs < 0 while still open).
struct StateSpan
{
    qint64 beginNs = 0;
    qint64 endNs = -1;
    SpanKind kind = SpanKind::Running;
};

/// One worker's lane.
struct TimelineLane
{
    int workerId = 0;
    QString name;
    QString subtitle; ///< backend · workload
    std::vector<Event> marks; ///< non-progress events, time-sorted
    std::vector<qint64> progressNs; ///< progress event times, sorted (dense)
    std::vector<StateSpan> spans;
    Latencies latencies;
    qint64 stopRequestNs = -1;
    qint64 killSentNs = -1;
    qint64 startNs = -1;
    qint64 exitedNs = -1; ///< the code returned or unwound
    qint64 joinedNs = -1; ///< the owner knew it was over
    bool ended = false;
};

/// Plain data (no QObject): fed by event batches, read by the renderer and the view.
class TimelineData
{
public:
    /// Adds (or renames) a lane; lanes are kept in the order they were added.
    void addLane(int workerId, const QString &name, const QString &subtitle);
    void removeLane(int workerId);
    void clear();
    /// Applies a batch; events of unknown workers are ignored (lab events, removed workers).
    void addEvents(const EventList &batch);

    const std::vector<TimelineLane> &lanes() const { return m_lanes; }
    const TimelineLane *lane(int workerId) const;
    int laneIndex(int workerId) const { return m_index.value(workerId, -1); }
    qsizetype eventCount() const { return m_eventCount; }

    /// Earliest and latest time seen (-1 if none).
    qint64 firstNs() const { return m_firstNs; }
    qint64 lastNs() const { return m_lastNs; }
    /// True while some lane has an open span (something is live).
    bool hasOpenSpans() const;

    /// Sets the state a span-changing event leads to; public for tests and the renderer's legend.
    static std::optional<SpanKind> spanAfter(EventKind kind);

private:
    void apply(TimelineLane &lane, const Event &e);
    std::vector<TimelineLane> m_lanes;
    QHash<int, int> m_index;
    qsizetype m_eventCount = 0;
    qint64 m_firstNs = -1;
    qint64 m_lastNs = -1;
};

} // namespace threadlab
