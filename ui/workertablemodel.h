// The worker table: one row per worker of a run source, read from its fold and snapshot, updated in batches.
#pragma once

#include "model/runsource.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <vector>

namespace threadlab {

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

    /// Shows the workers of source (nullptr: none). The model reads state, outcome and latencies from each
    /// worker's fold and steps, CPU and leaks from its snapshot; it never polls workers itself.
    explicit WorkerTableModel(RunSource *source = nullptr, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(WorkerTableModel)

    /// Binds to another source (a reset: rows rebuilt from its workers).
    void setSource(RunSource *source);
    RunSource *source() const { return m_source; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOf(int workerId) const { return m_rowOf.value(workerId, -1); }
    int workerIdAt(int row) const;
    /// Use the dark icon set (follows the palette).
    void setDark(bool dark);

    /// Emits the pending inserts and changes now (one insert, one dataChanged per contiguous run).
    void flush();

private:
    struct Row
    {
        int id = 0;
        std::shared_ptr<const WorkerFold> fold; ///< shared with the source: always current
        WorkerSnapshot snapshot; ///< the last one the source reported
        qint64 steps = 0; ///< RunSource::steps(): the one figure the details pane shows too
        qint64 totalSteps = 0; ///< from the "steps" parameter if any
        double stepsPerSecond = 0;
        qint64 lastSampleNs = 0;
        qint64 lastSampleSteps = 0;
    };

    void handleAdded(const QList<int> &workerIds);
    void handleRemoved(const QList<int> &workerIds);
    void handleChanged(const QList<int> &workerIds);
    void reload(Row &row, qint64 now);
    void scheduleFlush();
    qint64 elapsedNs(const Row &row) const;
    QVariant display(const Row &row, int column) const;
    QVariant raw(const Row &row, int column) const;

    QPointer<RunSource> m_source;
    std::vector<Row> m_rows;
    QHash<int, int> m_rowOf;
    QList<int> m_pendingInserts;
    QSet<int> m_dirtyRows;
    QTimer m_flushTimer;
    bool m_dark = false;
};

} // namespace threadlab
