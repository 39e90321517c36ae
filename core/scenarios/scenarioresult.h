// What a scenario run produced: per worker outcome, latencies, leaks and the expectation verdict.
#pragma once

#include "base/leak.h"
#include "base/measurements.h"
#include "base/params.h"
#include "base/vocabulary.h"
#include "base/workersnapshot.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace threadlab {

/// One worker at the end of a scenario run: its snapshot (identity, steps, CPU, leaks, host) and what the fold
/// of its events says (outcome, its class, latencies, the latency lines); plus the expectation verdict.
struct WorkerResult : WorkerSnapshot
{
    Outcome outcome = Outcome::None; ///< the fold's settled outcome
    OutcomeClass outcomeClass = OutcomeClass::Pending; ///< the fold's
    Latencies latencies; ///< the fold's
    QStringList latencyLines; ///< the fold's words for them ("kill took 362 µs")
    QString headline; ///< the fold's most telling line
    bool ended = false; ///< the worker's code really ended
    QStringList notes; ///< refused actions and the like
    QStringList marks; ///< the distinct texts of the marks on its timeline (the fold's): notes, exit descriptions
    QString skipped; ///< why it did not run in this build (empty: it ran)
    bool checked = false; ///< the scenario has an expectation for it
    QStringList failures; ///< unmet expectations, one line each

    bool passed() const { return failures.isEmpty(); }
    QJsonObject toJson() const;
};

/// A whole scenario run.
struct ScenarioResult
{
    QString id;
    QString title;
    QString path;
    bool skipped = false;
    QString skipReason;
    QString error; ///< the run itself went wrong (a worker could not be made, a timeout)
    QList<WorkerResult> workers;
    QStringList notes; ///< lab recoveries, refusals
    qint64 durationNs = 0;
    QString lesson; ///< the scenario's lesson (HTML) with its placeholders filled from this run (LessonText)

    bool passed() const;
    /// Workers that did not run in this build ("name: reason").
    QStringList skippedWorkers() const;
    /// "pass", "FAIL" or "skipped".
    QString verdict() const;
    QJsonObject toJson() const;
};

} // namespace threadlab
