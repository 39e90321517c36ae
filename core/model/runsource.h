// The one source a view binds to: the workers shown (snapshot + fold) and the runs, live or recorded alike.
#pragma once

#include "base/workersnapshot.h"
#include "runinfo.h"
#include "workerfold.h"

#include <QList>
#include <QObject>
#include <memory>
#include <optional>

namespace threadlab {

/// What every view reads: no view knows whether its workers are live or recorded, so there are no mode flags.
/// Workers are listed in the order they were added; their life comes from their WorkerFold, their identity and
/// sampled figures from their WorkerSnapshot. Changes arrive in batches (never one signal per event).
class RunSource : public QObject
{
    Q_OBJECT
public:
    explicit RunSource(QObject *parent = nullptr);
    ~RunSource() override;
    Q_DISABLE_COPY_MOVE(RunSource)

    /// The workers shown, in the order they were added.
    virtual QList<int> workerIds() const = 0;
    bool contains(int workerId) const { return fold(workerId) != nullptr; }
    /// The worker's identity and sampled figures (a default snapshot for an unknown id).
    virtual WorkerSnapshot snapshot(int workerId) const = 0;
    /// Where the worker's code is now, read live (cheap: call it at frame rate); a recording has None.
    virtual WorkerPhase phase(int workerId) const { return snapshot(workerId).phase; }
    /// The fold of the worker's events; nullptr for an unknown id. Shared so a view may keep it past a removal.
    virtual std::shared_ptr<const WorkerFold> fold(int workerId) const = 0;
    /// The runs, in the order they began (the last is the current one).
    virtual QList<RunInfo> runs() const = 0;
    /// The run the worker belongs to (nullopt: none).
    std::optional<RunInfo> runOf(int workerId) const;
    /// The current run (the last one), nullopt when there is none.
    std::optional<RunInfo> currentRun() const;
    /// The zero of the current run (its first start request), -1 if none yet.
    qint64 currentZeroNs() const;
    /// Where open spans end: the current time while live, the last recorded time for a recording.
    virtual qint64 nowNs() const = 0;
    /// Earliest and latest event time of the workers shown (-1 when there are none).
    qint64 firstNs() const;
    qint64 lastNs() const;
    /// The steps a worker has done: the larger of the sampled count and the last one its events reported.
    /// The table, the details and the exports all show this one figure.
    qint64 steps(int workerId) const;
    /// True while some worker has started and not ended.
    bool hasRunningWorkers() const;

signals:
    void workersAdded(const QList<int> &workerIds);
    /// Emitted after the workers are gone from workerIds() (folds handed out before stay valid).
    void workersRemoved(const QList<int> &workerIds);
    /// Their folds got events or their snapshots new samples.
    void workersChanged(const QList<int> &workerIds);
    void runsChanged();
};

/// The run zero of a list of folds: their earliest start request, -1 while none was made.
qint64 runZeroOf(const QList<std::shared_ptr<const WorkerFold>> &folds);

} // namespace threadlab
