// `threadlab bench`: stop latencies per backend, stop-check and recorder costs, against a bare std::thread.
#pragma once

#include <QJsonDocument>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace threadlab {

class Lab;

/// One line of the benchmark table: a figure of a case with its percentiles.
struct BenchRow
{
    QString caseName;
    QString figure; ///< observed, joined, kill, check, event, overhead, outcome
    qsizetype count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    QString unit = QStringLiteral("ns"); ///< "ns", "%" or "" (outcome rows)
    std::optional<double> ratio; ///< p50 / p50 of the bare std::thread reference, same figure
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
    /// Adds a case a front end can measure and the core cannot (app/main.cpp adds the GUI lag). Call before
    /// running any command.
    static void addCase(BenchCase c);
    /// Runs every case; progress(name) is called before each. Fills the ratios to the bare reference.
    static QList<BenchRow> run(
        const QList<BenchCase> &cases, Lab &lab, int repeat, const std::function<void(const QString &)> &progress = {});
    /// The readable table.
    static QString table(const QList<BenchRow> &rows);
    /// {"threadlab","machine","repeat","rows":[...]} (documented in README.md).
    static QJsonDocument toJson(const QList<BenchRow> &rows, int repeat);

    /// Name of the reference case whose p50s the ratios are computed against.
    static QString referenceCaseName();
    /// A row of a case that could not measure (figure "skipped", the reason in the note).
    static BenchRow skippedRow(const QString &caseName, const QString &reason);

private:
    static QList<BenchCase> &addedCases();
};

} // namespace threadlab
