// `threadlab bench`: the figures users see (stop latencies, spawn, kill, recorder, GUI), each against a reference.
#pragma once

#include <QJsonDocument>
#include <QList>
#include <QString>
#include <functional>
#include <optional>
#include <vector>

namespace threadlab {

class Lab;

/// What a row must reach (issue 13's table): a ratio to its reference, or a bound on a percentile.
struct BenchGoal
{
    enum Kind { None, RatioAtMost, P50AtMost, P99AtMost, MaxAtMost };
    Kind kind = None;
    double limit = 0; ///< a ratio, or a value in the row's unit

    /// "≤ 2.0× ref", "p50 ≤ 30 ns", "p99 ≤ 16 ms", "max ≤ 100 µs"; empty without a goal.
    QString text() const;
    /// The goal of a bench key (empty for rows without one).
    static BenchGoal forKey(const QString &key);
};

/// One line of the benchmark table: a figure of a case with its percentiles, its reference and its goal.
struct BenchRow
{
    QString key; ///< stable id, e.g. thread.cpu-spin.joined, process.force.joined, recorder.event, ref.thread.joined
    QString caseName;
    QString figure; ///< observed, joined, kill, hello, check, event, overhead, lag, paint, outcome
    qsizetype count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    QString unit = QStringLiteral("ns"); ///< "ns", "%" or "" (outcome rows)
    QString reference; ///< what the ratio compares with, measured interleaved in the same run (empty: none)
    double referenceP50 = 0; ///< p50 of those reference samples (ns)
    std::optional<double> ratio; ///< p50 / referenceP50
    BenchGoal goal; ///< filled by Benchmark::run from the key
    std::optional<bool> met; ///< the goal is reached (empty: no goal, or nothing measured)
    QString note; ///< outcomes counted, errors, details
};

/// One case of the benchmark. Adding a row to the benchmark = adding a BenchCase.
struct BenchCase
{
    QString name;
    /// Runs the case with `repeat` repetitions (on the owner's thread; may run local event loops).
    std::function<QList<BenchRow>(Lab &lab, int repeat)> run;
};

class Benchmark
{
public:
    /// The cases of `threadlab bench`, in order (the bare reference first, then the built-in cases, then the
    /// added ones, then the unresponsive case that keeps a core busy).
    static QList<BenchCase> defaultCases();
    /// Adds a case a front end can measure and the core cannot (app/main.cpp adds the GUI lag and the
    /// timeline paint). Call before running any command.
    static void addCase(BenchCase c);
    /// Runs every case; progress(name) is called before each. Fills each row's goal and whether it is met.
    static QList<BenchRow> run(
        const QList<BenchCase> &cases, Lab &lab, int repeat, const std::function<void(const QString &)> &progress = {});
    /// The readable table: key, figure, reference, ratio, goal, met; the notes below it.
    static QString table(const QList<BenchRow> &rows);
    /// {"threadlab","machine","load_average","repeat","rows":[...]} (documented in README.md).
    static QJsonDocument toJson(const QList<BenchRow> &rows, int repeat);

    /// Name of the thread reference (bare std::thread + atomic<bool>).
    static QString referenceCaseName();
    /// A row of a case that failed (figure "error", what went wrong in the note).
    static BenchRow errorRow(const QString &key, const QString &caseName, const QString &error);
    /// A row of a case that could not measure (figure "skipped", the reason in the note).
    static BenchRow skippedRow(const QString &key, const QString &caseName, const QString &reason);
    /// A row from samples in ns (or in 1/scale ns).
    static BenchRow rowFrom(const QString &key, const QString &caseName, const QString &figure,
        std::vector<qint64> samples, double scale = 1.0);
    /// Sets row.reference, referenceP50 and ratio from reference samples in ns (interleaved with the row's).
    static void setReference(BenchRow &row, const QString &reference, const std::vector<qint64> &referenceSamples);

private:
    static QList<BenchCase> &addedCases();
};

} // namespace threadlab
