// Lesson texts with placeholders ({{worker.kill}}, {{a.observed / b.observed}}) filled from the run's measurements.
#pragma once

#include "base/measurements.h"
#include "base/params.h"
#include "base/vocabulary.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace threadlab {

class RunSource;
class WorkerFold;
struct Scenario;
struct ScenarioResult;
struct WorkerResult;
struct WorkerSnapshot;

/// What a lesson text can say about one worker: read from the fold of its events and its snapshot, never typed in.
struct LessonFigures
{
    bool started = false; ///< the worker was started (steps and CPU are measured only then)
    Latencies latencies; ///< the fold's
    qint64 steps = 0;
    qint64 cpuNs = 0;
    Outcome outcome = Outcome::None; ///< the fold's settled outcome
    Params params; ///< the worker's resolved parameters (as configured for this run)

    /// The figures of a worker from its fold, its snapshot and its step count (RunSource::steps()).
    static LessonFigures of(const WorkerFold &fold, const WorkerSnapshot &snapshot, qint64 steps);
    /// The figures of a worker of a finished scenario run (the runner copied them from the fold).
    static LessonFigures of(const WorkerResult &result);
};

/// The figures of a run's workers, by worker name.
using LessonFigureMap = QHash<QString, LessonFigures>;

/// Renders lesson texts: every number a lesson shows comes from a placeholder filled from the run.
///
/// A placeholder is `{{worker.field}}` or a ratio `{{a.field / b.field}}`. Fields: observed, exited, joined,
/// kill, cleanup (stop latencies), cpu (CPU time), steps, outcome, or the name of one of the worker's
/// parameters (`{{w.step_ms}}`: the value this run used; *_ms and *_us render as durations). A ratio of two
/// numeric fields renders as a bare number ("12", "0.53"), so the text writes the sign: "{{a.cpu / b.cpu}}×".
/// An unknown worker or field renders as "—", a figure not measured (yet) as "(not measured yet)". Never throws.
class LessonText
{
public:
    /// The field names a placeholder may use besides parameter names.
    static QStringList fieldNames();
    /// text with its placeholders filled from figures (HTML-escaped).
    static QString render(const QString &text, const LessonFigureMap &figures);
    /// The placeholders of text that name an unknown worker or field ("{{x.kill}}: no worker named 'x'").
    /// params: each worker's parameters by name (so parameter placeholders can be checked).
    static QStringList problems(const QString &text, const QHash<QString, Params> &params);
    /// The timings typed into text outside placeholders ("300 ms"): a lesson must take them from the run.
    static QStringList typedTimings(const QString &text);

    /// The figures of a scenario's workers before any run: their parameters, nothing measured.
    static LessonFigureMap figures(const Scenario &scenario);
    /// The figures of a finished scenario run's workers.
    static LessonFigureMap figures(const ScenarioResult &result);
    /// The figures of the workers with these ids in source (by their names; the first of a name wins).
    static LessonFigureMap figures(const RunSource &source, const QList<int> &workerIds);

    /// A lesson's HTML as plain text for a terminal (headings and paragraphs on their own lines).
    static QString toPlainText(const QString &html);
};

} // namespace threadlab
