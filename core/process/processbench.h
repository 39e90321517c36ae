// `threadlab bench` parts of the process backend: spawn → hello with its exec references, bare host kills.
#pragma once

#include <QList>
#include <QString>

namespace threadlab {

/// One measured case: its samples (ns) and their percentiles.
struct ProcessBenchCase
{
    QString key; ///< the bench key: process.spawn.hello(.exec), ref.process.exec-static, ref.process.true
    QString name; ///< what a person reads: "process spawn->hello", "exec threadlab-benchref (static C)", …
    QString description;
    QList<qint64> samplesNs;
    qint64 p50Ns = 0;
    qint64 p90Ns = 0;
    qint64 maxNs = 0;
};

/// Spawn cases, interleaved `repetitions` times (≥ 1): a ProcessWorker's start() to its host's hello
/// handled, forked by the fork server (process.spawn.hello) and exec'd (process.spawn.hello.exec), a QProcess start of
/// the bench's minimal C program (threadlab-benchref, beside the host) to its one line read, and a QProcess /bin/true
/// start to finished. Must be called on the main thread (process workers are started there); it runs the event loop
/// while waiting. Returns an empty list and sets error if the worker host cannot be found; without threadlab-benchref
/// its case has no samples and says why.
QList<ProcessBenchCase> processBenchCases(int repetitions, QString *error = nullptr);

/// The reference of `process.force.joined`: a bare QProcess of the worker host (same program, arguments,
/// process group), killed with QProcess::kill() `stopAfterMs` after its hello line (the age a worker has
/// when `run --stop-after` kills it), timed from the kill to QProcess::finished. -1 (and error) on failure.
qint64 bareHostKillOnce(int stopAfterMs, QString *error = nullptr);

/// threadlab-benchref beside the worker host (empty if absent); isStatic says whether it needs no loader.
QString benchReferenceProgram(bool *isStatic = nullptr);

} // namespace threadlab
