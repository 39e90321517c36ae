// Renders the results of `threadlab run` as a readable table and summary, and as the documented JSON.
#pragma once

#include "runresult.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace threadlab {

/// Table, summary and JSON of a list of runs. The JSON schema is documented in README.md.
class Report
{
public:
    /// Column titles of the per-run table.
    static QString tableHeader();
    /// One line of the per-run table.
    static QString tableLine(const RunResult &run);
    /// Outcomes counted, latency percentiles per figure, leaks (several lines, each ending in '\n').
    static QString summary(const QList<RunResult> &runs);

    /// {"cores","kernel","cpu","qt","os"} of this machine.
    static QJsonObject machine();
    /// {"kernel","os","cpu_arch","ideal_threads","qt"}: the machine object of the scenario and matrix JSON.
    static QJsonObject scenarioMachine();
    static QJsonObject runToJson(const RunResult &run);
    static QJsonObject summaryToJson(const QList<RunResult> &runs);
    /// The whole `threadlab run --json` document.
    static QJsonDocument runsDocument(const QList<RunResult> &runs);

    /// Writes a document to a file, or to stdout for "-". Returns false and sets error on failure.
    static bool writeJson(const QJsonDocument &doc, const QString &path, QString *error);
    /// The percentile object {"p50","p90","p99","max"} in ns, or null without samples.
    static QJsonValue percentilesToJson(const std::vector<qint64> &samples);
};

} // namespace threadlab
