// The live worker table: one row per Lab worker, updated in batches (event batches + a 10 Hz refresh).
#pragma once

#include "base/event.h"
#include "base/measurements.h"
#include "recording/recording.h"
#include "base/vocabulary.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <vector>

namespace threadlab {

class Lab;
class Worker;

class WorkerTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        BackendColumn,
        WorkloadColumn,
        StateColumn,
        ProgressColumn,
        StepsPerSecondColumn,
        CpuColumn,
        ElapsedColumn,
        ObservedColumn,
        ExitedColumn,
        JoinedColumn,
        OutcomeColumn,
        LeaksColumn,
        ColumnCount
    };
    enum Role {
        WorkerIdRole = Qt::UserRole + 1,
        RawValueRole, ///< the unformatted value (qint64 ns, steps, enum as int): sorting and tests
        StateRole, ///< WorkerState as int
        OutcomeRole, ///< Outcome as int
        ProgressFractionRole, ///< steps / total steps (0..1) when the workload has a "steps" parameter
    };

    /// Mirrors lab's workers; lab must outlive the model or be a QPointer-tracked parent.
    explicit WorkerTableModel(Lab *lab, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(WorkerTableModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOf(int workerId) const { return m_rowOf.value(workerId, -1); }
    int workerIdAt(int row) const;
    Worker *workerAt(int row) const;
    /// Use the dark icon set (follows the palette).
    void setDark(bool dark);

    /// Read-only mode: shows the recording's workers exactly as recorded and ignores the lab until showLive().
    void showRecording(const Recording &recording);
    /// Back to mirroring the lab (rows rebuilt from its workers and its event log).
    void showLive();
    bool isShowingRecording() const { return m_recordingMode; }

    /// Applies an event batch (marks rows dirty; emits on the next flush). Public for tests.
    void applyEvents(const EventList &batch);
    /// Emits the pending inserts and changes now (one insert, one dataChanged per contiguous run).
    void flush();

private:
    struct Row
    {
        int id = 0;
        QPointer<Worker> worker;
        QString name;
        Backend backend = Backend::Thread;
        QString workload;
        WorkerState state = WorkerState::Created;
        Outcome outcome = Outcome::None;
        qint64 steps = 0;
        qint64 totalSteps = 0; ///< from the "steps" parameter if any
        qint64 cpuNs = 0;
        double stepsPerSecond = 0;
        qint64 lastSampleNs = 0;
        qint64 lastSampleSteps = 0;
        qint64 startNs = -1;
        qint64 endNs = -1;
        Latencies latencies;
        EventList keyEvents; ///< non-progress events, for the latencies
        int leaks = 0;
        bool leaksKnown = false;
        QStringList leakLines; ///< "kind: detail" of a recorded worker (live rows ask the worker)
    };

    void handleWorkerAdded(Worker *worker);
    void handleWorkerRemoved(int workerId);
    void handleRefresh();
    void markDirty(int row, bool allColumns);
    void scheduleFlush();
    void refreshFromWorker(Row &row, qint64 now);
    QVariant display(const Row &row, int column) const;
    QVariant raw(const Row &row, int column) const;

    QPointer<Lab> m_lab;
    std::vector<Row> m_rows;
    QHash<int, int> m_rowOf;
    QList<QPointer<Worker>> m_pendingInserts;
    QSet<int> m_dirtyRows; ///< every column changed
    QSet<int> m_volatileRows; ///< only the live columns changed
    QTimer m_flushTimer;
    QTimer m_refreshTimer;
    bool m_dark = false;
    bool m_recordingMode = false;
};

} // namespace threadlab
