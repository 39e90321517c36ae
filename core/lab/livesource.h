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
/// through Worker::snapshot() by one timer for all workers. Runs: until the Lab has runs of its own, the
/// workers added since the last clear (or since beginRun()) form one run; runsFor() is the one place that
/// decides it.
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
    std::shared_ptr<const WorkerFold> fold(int workerId) const override;
    QList<RunInfo> runs() const override { return m_runs; }
    qint64 nowNs() const override;

    /// The live worker with that id (nullptr: unknown or gone). Actions need it; views do not.
    Worker *worker(int workerId) const;
    /// Starts a new run made of these workers (moved out of the run they were in), titled for a lesson or an
    /// action. With no ids, the next workers added form the new run.
    void beginRun(const QString &title, const QString &scenario = {}, const QList<int> &workerIds = {});
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
    void addToCurrentRun(int workerId);
    bool updateZeros();

    QPointer<Lab> m_lab;
    QHash<int, Entry> m_entries;
    QList<int> m_order;
    QList<RunInfo> m_runs;
    bool m_newRunPending = true; ///< the next worker added begins a run
    QString m_pendingTitle;
    QString m_pendingScenario;
    QTimer m_sampleTimer;
};

} // namespace threadlab
