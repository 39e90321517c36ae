// A scenario: workers, a timed script of actions and the expectations that back its lesson (a plain value).
#pragma once

#include "base/params.h"
#include "base/vocabulary.h"
#include "workers/worker.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <optional>

namespace threadlab {

/// What a script step does to its target.
enum class ScriptAction {
    Start,
    Request,
    Force,
    Escalate,
    Sigterm,
    ForceGroup,
    Pause,
    Resume,
    Recover,
    AsyncExc,
    Settrace,
    InterpreterExit,
};

/// "start", "request", "force", "escalate", "sigterm", "force-group", "pause", "resume", "recover", and the
/// Python host's "async-exc", "settrace", "interpreter-exit" (the stop methods' spellings).
QString toString(ScriptAction action);
std::optional<ScriptAction> scriptActionFromString(QStringView s);
QStringList scriptActionNames();
/// The stop method of a stopping action (request, force, escalate, sigterm, force-group), else empty.
std::optional<StopMethod> stopMethodOf(ScriptAction action);

/// Limits of a scenario file.
constexpr int ScenarioFormatVersion = 1;
constexpr int MaxScenarioWorkers = 512;
constexpr int MaxScriptMs = 10 * 60 * 1000;

/// One worker of a scenario.
struct ScenarioWorker
{
    QString name;
    Backend backend = Backend::Thread;
    QString workload;
    QVariantMap givenParams; ///< as written in the file
    Params params; ///< resolved with defaults (empty when the workload is not in this build)
    /// Why it cannot run in this build (an optional workload not registered); empty when runnable.
    QString unavailable;
};

/// The events a script action may count its time from ("from"): the target's code began to run (for a process
/// worker, the host's hello), or it finished its first unit of work (a file-writer's file is open, a lock held).
QList<EventKind> scriptAnchorKinds();

/// One timed action of the script: atMs after the scenario's start, or, with from, atMs after its target worker
/// recorded that event (so a stop lands on a worker that is really there, however long its start took).
struct ScriptStep
{
    int atMs = 0;
    ScriptAction action = ScriptAction::Start;
    QString target; ///< a worker name, or "*" for every worker ("recover" ignores it)
    StopPolicy policy; ///< grace_ms / kill_timeout_ms of a stopping action
    std::optional<EventKind> from; ///< count atMs from the target's first event of this kind (one named target)
    int earliestMs = 0; ///< the soonest it can run after the scenario's start (the order of the script): atMs, or
                        ///< atMs + its target's start time when it counts from an event
};

/// What must be true of one worker at the end of the run.
struct Expectation
{
    QList<Outcome> outcomes; ///< any of these (empty: any outcome)
    QStringList leaksPresent; ///< leak kinds that must be reported
    QStringList leaksAbsent; ///< leak kinds that must not be reported ("*": no leak at all)
    std::optional<qint64> observedMaxMs; ///< stop-observed − stop-requested
    std::optional<qint64> observedMinMs;
    std::optional<qint64> joinedMaxMs; ///< joined − stop-requested
    std::optional<qint64> joinedMinMs;
    std::optional<qint64> killMaxMs; ///< joined − kill-sent
    std::optional<qint64> stepsMin; ///< steps done
    std::optional<qint64> stepsMax;
    std::optional<bool> ended; ///< the worker's code really ended by the end of the run
    QStringList notesPresent; ///< texts some note on the worker's timeline must contain ("invariant broken")
    QStringList notesAbsent; ///< texts no note on its timeline may contain
};

/// A parsed, validated scenario: everything needed to run it, nothing half-loaded.
struct Scenario
{
    QString id; ///< file name without .json
    QString path; ///< where it was loaded from (":/scenarios/x.json" for built-ins)
    int format = ScenarioFormatVersion;
    QString title;
    QString summary;
    QString lesson; ///< rich text (an HTML subset)
    QList<ScenarioWorker> workers;
    QList<ScriptStep> script; ///< sorted by earliestMs (stable); the default script when the file has none
    bool scriptGiven = false;
    QMap<QString, Expectation> expect; ///< by worker name
    int settleMs = 15000; ///< how long to wait after the last action for every worker to be declared
    int poolThreads = 0; ///< > 0: the lab's worker pool is limited to this many threads (to show queueing)
    QJsonObject source; ///< the file as written (a recording keeps it, so the lesson reopens with the run)

    const ScenarioWorker *worker(const QString &name) const;
    /// Why this worker cannot run in this build (a missing optional workload, no worker host); empty: it can.
    static QString unavailableReason(const ScenarioWorker &worker);
    /// The reasons of every worker that cannot run in this build.
    QStringList unavailableReasons() const;
    /// Time of the last script action (its earliest, for one counted from an event).
    int lastActionMs() const;
};

} // namespace threadlab
