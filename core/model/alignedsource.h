// The lanes of a comparison, each re-zeroed at its own stop request, as a run source any timeline can show.
#pragma once

#include "runcompare.h"
#include "runsource.h"

#include <QHash>

namespace threadlab {

/// A read-only source made of a comparison's workers, A's and B's lane of each matched pair one under the other,
/// every lane's events shifted so that its stop request falls on AlignZeroNs (a lane never asked to stop is
/// aligned at its start request). A fold of shifted events is the same fold shifted: spans, marks and latencies
/// are the original's, and only the axis is shared. Names read "A · name" and "B · name".
class AlignedSource : public RunSource
{
    Q_OBJECT
public:
    /// The common zero: far enough from 0 that no shifted time is negative (the folds keep -1 for "never").
    static constexpr qint64 AlignZeroNs = 1'000'000'000'000'000; // about 11.6 days

    explicit AlignedSource(const RunComparison &comparison, QObject *parent = nullptr);
    ~AlignedSource() override;
    Q_DISABLE_COPY_MOVE(AlignedSource)

    QList<int> workerIds() const override { return m_order; }
    WorkerSnapshot snapshot(int workerId) const override { return m_snapshots.value(workerId); }
    std::shared_ptr<const WorkerFold> fold(int workerId) const override { return m_folds.value(workerId); }
    QList<RunInfo> runs() const override { return { m_run }; }
    qint64 nowNs() const override { return m_nowNs; }

    /// The time the lane was shifted by (original − aligned), 0 for an unknown id.
    qint64 shiftNs(int workerId) const { return m_shift.value(workerId); }
    /// The (side, index in that side) a lane shows: side 0 is A, 1 is B.
    std::pair<int, int> origin(int workerId) const { return m_origin.value(workerId, { -1, -1 }); }

    /// Where a fold is aligned: its stop request, else its start request, else its first event (-1: no events).
    static qint64 alignmentOf(const WorkerFold &fold);

private:
    void addLane(const CompareSide &side, int sideIndex, int index);

    QList<int> m_order;
    QHash<int, WorkerSnapshot> m_snapshots;
    QHash<int, std::shared_ptr<const WorkerFold>> m_folds;
    QHash<int, qint64> m_shift;
    QHash<int, std::pair<int, int>> m_origin;
    RunInfo m_run;
    qint64 m_nowNs = AlignZeroNs;
};

} // namespace threadlab
