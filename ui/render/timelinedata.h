// The timeline's lanes: one per worker of a run source, each reading that worker's fold (never re-deriving it).
#pragma once

#include "model/workerfold.h"
#include "statestyle.h"

#include <QHash>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace threadlab {

class RunSource;

/// One worker's lane: its name and the fold it is drawn from (shared, so a lane outlives a removed worker).
struct TimelineLane
{
    int workerId = 0;
    QString name;
    QString subtitle; ///< backend · workload
    std::shared_ptr<const WorkerFold> fold; ///< never null

    qint64 stopRequestNs() const { return fold->times().stopRequested; }
};

/// Plain data (no QObject): the lanes of a source at one moment, read by the renderer and the view.
class TimelineData
{
public:
    TimelineData() = default;
    /// The lanes of every worker of the source, in its order, and the zero of its current run.
    static TimelineData of(const RunSource &source);

    const std::vector<TimelineLane> &lanes() const { return m_lanes; }
    const TimelineLane *lane(int workerId) const;
    int laneIndex(int workerId) const { return m_index.value(workerId, -1); }
    qsizetype eventCount() const;

    /// Earliest and latest event time of the lanes (-1 if none).
    qint64 firstNs() const;
    qint64 lastNs() const;
    /// Time zero of the axis: the run's first start request (else the first event; -1 if none).
    qint64 zeroNs() const { return m_zeroNs >= 0 ? m_zeroNs : firstNs(); }
    void setZeroNs(qint64 zeroNs) { m_zeroNs = zeroNs; }
    /// Where the run's view begins: its zero, or the first event if that is later (an older worker's lane
    /// must not squash the current run to the right edge).
    qint64 viewStartNs() const;
    /// True while some lane's code has started and not ended (something is live).
    bool hasOpenSpans() const;

    /// Keeps the lanes whose name, subtitle (backend · workload) or outcome contains every word of filter
    /// (case-insensitive); an empty filter keeps all. Returns how many lanes there were before.
    qsizetype filter(const QString &filter);

    /// What a span of the fold shows on a lane (nothing for created and finished).
    static std::optional<SpanKind> spanKindOf(WorkerState state);

private:
    std::vector<TimelineLane> m_lanes;
    QHash<int, int> m_index;
    qint64 m_zeroNs = -1;
    QList<int> m_runWorkers; ///< the workers of the run shown
};

} // namespace threadlab
