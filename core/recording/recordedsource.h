// The run source of a Recording: folds of its events, snapshots of its recorded workers, one run.
#pragma once

#include "model/runsource.h"
#include "recording.h"

#include <QHash>

namespace threadlab {

/// A read-only source: the recording's workers folded once; nothing changes after construction.
class RecordedSource : public RunSource
{
    Q_OBJECT
public:
    explicit RecordedSource(Recording recording, QObject *parent = nullptr);
    ~RecordedSource() override;
    Q_DISABLE_COPY_MOVE(RecordedSource)

    QList<int> workerIds() const override { return m_order; }
    WorkerSnapshot snapshot(int workerId) const override { return m_snapshots.value(workerId); }
    std::shared_ptr<const WorkerFold> fold(int workerId) const override { return m_folds.value(workerId); }
    QList<RunInfo> runs() const override { return { m_run }; }
    /// The recording ended at its last event: open spans end there.
    qint64 nowNs() const override;

    const Recording &recording() const { return m_recording; }
    /// The snapshot of a recorded worker (what it was and what was sampled of it).
    static WorkerSnapshot snapshotOf(const RecordedWorker &w);

private:
    Recording m_recording;
    QList<int> m_order;
    QHash<int, WorkerSnapshot> m_snapshots;
    QHash<int, std::shared_ptr<const WorkerFold>> m_folds;
    RunInfo m_run;
};

} // namespace threadlab
