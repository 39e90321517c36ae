// Two runs side by side (Tracy's compare): workers matched by name, then by order; every figure read from the fold.
#pragma once

#include "base/workersnapshot.h"
#include "runinfo.h"
#include "workerfold.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <memory>
#include <optional>

namespace threadlab {

class RunSource;

/// One side of a comparison: the workers of one run (live or recorded), in the order they were added. It holds
/// copies of the snapshots and shares the folds, so it outlives the source it was taken from.
struct CompareSide
{
    QString label; ///< what the side is ("04-cpu-ignore.threadlab.json", "run 2: Escalate on cpu-ignore")
    QString details; ///< where it ran (machine, date), may be empty
    QList<WorkerSnapshot> workers;
    QList<std::shared_ptr<const WorkerFold>> folds; ///< same order as workers, never null
    QList<qint64> steps; ///< RunSource::steps() of each worker (the figure the table shows)

    /// The workers of run (every worker of the source when run is nullopt) that have a fold.
    static CompareSide of(
        const RunSource &source, const std::optional<RunInfo> &run, const QString &label, const QString &details = {});
    qsizetype size() const { return workers.size(); }
};

/// One measured figure of a matched pair: A's and B's value (empty where it does not apply).
struct CompareFigure
{
    QString key; ///< one of RunComparison::figureKeys()
    std::optional<qint64> a;
    std::optional<qint64> b;
    bool duration = true; ///< ns; else a count (steps)

    /// B − A, when both exist.
    std::optional<qint64> difference() const;
    /// B / A, when both exist and A is not 0.
    std::optional<double> ratio() const;

    /// The words of a value ("4.1 µs", "512 steps"; "–" when empty): the CLI table and the GUI table alike.
    QString valueText(const std::optional<qint64> &value) const;
    QString aText() const { return valueText(a); }
    QString bText() const { return valueText(b); }
    /// "+1.1 µs", "−3 ms", "+0 ns"; "–" when either side is empty.
    QString differenceText() const;
    /// "1.27×"; "–" when it does not exist.
    QString ratioText() const;
};

/// A worker of A matched with one of B (either index -1 when the other side has no counterpart).
struct ComparedWorker
{
    int indexA = -1;
    int indexB = -1;
    QString name; ///< A's name, else B's
    std::optional<Outcome> outcomeA;
    std::optional<Outcome> outcomeB;
    QList<CompareFigure> figures; ///< in figureKeys() order
};

/// The comparison of two sides. Workers are matched by name first (in A's order, each B worker used once), the
/// rest pairwise in order; a worker left over on one side gets a row of its own. The latencies are the folds'
/// (WorkerFold::latencies()), CPU and steps the source's: nothing is recomputed here.
class RunComparison
{
public:
    static RunComparison of(CompareSide a, CompareSide b);

    const CompareSide &a() const { return m_a; }
    const CompareSide &b() const { return m_b; }
    const QList<ComparedWorker> &workers() const { return m_workers; }

    /// observed, exited, joined, kill, cleanup (the fold's latencies), cpu (sampled CPU time; none when never sampled),
    /// steps.
    static QStringList figureKeys();
    /// The words of a figure key in a table header ("stop observed", "CPU time").
    static QString figureLabel(const QString &key);

    /// {"format":"threadlab-compare","a":{label,details,workers},"b":{...},"workers":[{name, name_a, name_b,
    /// outcome_a, outcome_b, figures:[{key, a, b, b_minus_a, b_over_a}]}]}; durations in ns, absent values null.
    QJsonObject toJson() const;

private:
    CompareSide m_a;
    CompareSide m_b;
    QList<ComparedWorker> m_workers;
};

} // namespace threadlab
