// The run source of a live Lab: folds fed by the Lab's event batches, snapshots sampled for running workers.
#pragma once

#include "model/runsource.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace threadlab {

class Lab;
class Worker;

/// Mirrors a Lab. Folds are fed by the Lab's event batches; steps and CPU of running workers are sampled
/// through Worker::snapshot() by one timer for all workers. Runs are the Lab's (Lab::beginRun() and its
/// workers joining the current run): the source only mirrors them, it never decides what a run is.
class LiveSource : public RunSource
{
    Q_OBJECT
public:
    static constexpr int SampleIntervalMs = 250; ///< a modest rate: 4 samples a second

    explicit LiveSource(Lab *lab, QObject *parent = nullptr);
    ~LiveSource() override;
    Q_DISABLE_COPY_MOVE(LiveSource)

    QList<int> workerIds() const override { return m_order; }
    WorkerSnapshot snapshot(int workerId) const override;
    WorkerPhase phase(int workerId) const override;
    std::shared_ptr<const WorkerFold> fold(int workerId) const override;
    QList<RunInfo> runs() const override;
    qint64 nowNs() const override;

    /// The live worker with that id (nullptr: unknown or gone). Actions need it; views do not.
    Worker *worker(int workerId) const;
    /// Samples every running worker now and emits the pending changes (tests and final reads).
    void sampleNow();

private:
    struct Entry
    {
        QPointer<Worker> worker;
        std::shared_ptr<WorkerFold> fold;
        WorkerSnapshot snapshot;
    };

    void handleWorkerAdded(Worker *worker);
    void handleWorkerRemoved(int workerId);
    void handleEvents(const EventList &batch);

    QPointer<Lab> m_lab;
    QHash<int, Entry> m_entries;
    QList<int> m_order;
    QTimer m_sampleTimer;
};

} // namespace threadlab
