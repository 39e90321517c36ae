// `threadlab bench` cases of the process backend: spawn to hello, request and force to reaped, bare QProcess.
#pragma once

#include <QList>
#include <QString>

namespace threadlab {

/// One measured case: its samples (ns) and their percentiles.
struct ProcessBenchCase
{
    QString
        name; ///< "process spawn->hello", "process request->reaped", "process force->reaped", "bare QProcess /bin/true"
    QString description;
    QList<qint64> samplesNs;
    qint64 p50Ns = 0;
    qint64 p90Ns = 0;
    qint64 maxNs = 0;
};

/// Runs each case `repetitions` times (≥ 1; the issue asks for ≥ 100). Must be called on the main thread
/// (process workers are started there); it pumps the event loop while waiting. Returns an empty list and
/// sets error if the worker host cannot be found.
QList<ProcessBenchCase> processBenchCases(int repetitions, QString *error = nullptr);

} // namespace threadlab
