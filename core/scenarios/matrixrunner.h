// The stop-method matrix: workloads × methods × backends, each combination measured with repeats.
#pragma once

#include "scenarioresult.h"
#include "workers/worker.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>
#include <optional>

namespace threadlab {

class ScenarioRunner;

/// One workload of the matrix: a name and its parameters ("blocking-wait wake=none timeout_ms=1000").
struct MatrixWorkload
{
    QString name;
    QStringList assignments; ///< "k=v"
    Params params; ///< resolved
    QString label() const;
};

/// What to measure.
struct MatrixOptions
{
    QList<MatrixWorkload> workloads;
    QList<StopMethod> methods;
    QList<Backend> backends;
    int repeat = 2;
    int stopAfterMs = 150; ///< from the start of each run
    StopPolicy policy { 300, 500 };
    int parallel = 3; ///< runs at once (each in a lab of its own)

    /// The default matrix (finishes in well under 2 minutes on 2 cores).
    static MatrixOptions defaults();
    /// Parses "name[:k=v[:k=v]]"; on error returns nullopt and sets error (allowed values named).
    static std::optional<MatrixWorkload> parseWorkload(const QString &text, QString *error);
};

/// One combination and its runs.
struct MatrixCell
{
    MatrixWorkload workload;
    StopMethod method = StopMethod::Request;
    Backend backend = Backend::Thread;
    QString notAvailable; ///< why (the worker's refusal text or a missing worker host); empty: it ran
    QList<WorkerResult> runs;

    /// The cell's class in the vocabulary: the worst class of its runs' outcomes (as each run's fold settled
    /// it), so a cell tells stopped from killed and ignored (ended by itself) from never stopped.
    /// Worst first: crashed, never-stopped, pending, ignored, killed, stopped, completed.
    OutcomeClass outcomeClass() const;
    bool available() const { return notAvailable.isEmpty(); }
    /// Some run left a leak.
    bool leaked() const;
    /// Median of joined latencies (stop-requested → joined) over the runs that ended; empty if none.
    std::optional<qint64> medianLatencyNs() const;
    /// Leak kinds seen in any run.
    QStringList leakKinds() const;
    /// Outcomes of the runs, e.g. "stopped×2".
    QString outcomes() const;
    /// "stopped 1.2 ms", "killed 3.0 ms, leaks: lock", "ignored 2.30 s", "never-stopped", "n/a".
    QString shortText() const;
    QJsonObject toJson() const;
};

/// Runs the cells on the event loop (never blocking it), at most `parallel` runs at once, each run in a
/// fresh lab so a poisoned mutex or an orphan cannot spill into the next cell.
class MatrixRunner : public QObject
{
    Q_OBJECT
public:
    explicit MatrixRunner(MatrixOptions options, QObject *parent = nullptr);
    ~MatrixRunner() override;
    Q_DISABLE_COPY_MOVE(MatrixRunner)

    void start();
    bool isFinished() const { return m_finished; }
    const MatrixOptions &options() const { return m_options; }
    const QList<MatrixCell> &cells() const { return m_cells; }
    int runsTotal() const { return m_total; }
    int runsDone() const { return m_done; }

    QString textGrid() const;
    QString markdown() const;
    /// What the cells' words and the in-process force mean (under the grid, the markdown and the image).
    static QStringList legend();
    QJsonObject toJson() const;

signals:
    void progress(int done, int total, const QString &what);
    void cellFinished(int index);
    void finished();

private:
    struct Pending
    {
        int cell;
    };
    void launchMore();
    void runFinished(ScenarioRunner *runner, int cell, const ScenarioResult &result);
    void reap(bool all);

    MatrixOptions m_options;
    QList<MatrixCell> m_cells;
    QList<Pending> m_queue;
    QList<int> m_runsLeft; ///< per cell
    QList<ScenarioRunner *> m_active;
    QList<ScenarioRunner *> m_retired; ///< finished; deleted once their workers' code has ended
    QTimer m_reaper;
    int m_total = 0;
    int m_done = 0;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace threadlab
