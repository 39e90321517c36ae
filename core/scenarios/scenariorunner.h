// Runs one scenario on a Lab: the timed script (live or step by step), then the expectation check.
#pragma once

#include "model/runinfo.h"
#include "scenario.h"
#include "scenarioresult.h"
#include "steppacing.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <optional>

namespace threadlab {

class Lab;
class Worker;

/// Driven by timers and the workers' signals; never blocks the event loop and ends with finished(). Lifecycle:
/// prepare() makes the lab's workers (state created; a scenario that needs what this build lacks is skipped with the
/// reason); then either runLive() (each action at its at_ms after the start) or step() (the next action now, for a
/// teacher clicking through; runLive() continues from there). After the last action it waits until every worker is
/// declared (outcome known and leaks probed; an unresponsive worker whose expectation needs no leaks may still run), at
/// most settle_ms, checks the expectations and emits finished().
class ScenarioRunner : public QObject
{
    Q_OBJECT
public:
    /// Runs on lab if given (e.g. the GUI's, so its table and timeline show the workers), else on a lab
    /// of its own, destroyed (with its documented shutdown) with the runner.
    explicit ScenarioRunner(Scenario scenario, Lab *lab = nullptr, QObject *parent = nullptr);
    ~ScenarioRunner() override;
    Q_DISABLE_COPY_MOVE(ScenarioRunner)

    const Scenario &scenario() const { return m_scenario; }
    Lab *lab() const { return m_lab; }
    /// The lab worker made for a scenario worker (nullptr before prepare()).
    Worker *worker(const QString &name) const;

    /// Makes the workers. Returns false if the scenario is skipped or cannot be made (then finished()
    /// is emitted from the event loop and result() says why). Called by step()/runLive() if needed.
    bool prepare();
    /// Step mode, set before prepare(): the workers are made with their durations stretched (pacedForSteps) so that
    /// nothing the lesson is about ends on its own while the teacher talks. step() on an unprepared runner sets it.
    /// clickAllowanceMs: how long each click may take (tests shorten it).
    void setStepped(bool stepped, int clickAllowanceMs = DefaultClickAllowanceMs);
    bool isStepped() const { return m_stepped; }
    /// Executes the next click now: the next script action and those of the same kind at the same time
    /// (steppacing.h); returns false if there is none left (or it is finished).
    bool step();
    /// Runs the rest of the script at its times (relative to the first action executed).
    void runLive();

    /// Index of the next script action (script().size() when the script is done).
    int nextStep() const { return m_next; }
    /// What the next click will do and what to watch then (empty when the script is done).
    QString nextStepHint() const;
    bool isFinished() const { return m_finished; }
    const ScenarioResult &result() const { return m_result; }
    /// The lab's run this scenario run is (id 0 before prepare()).
    const RunInfo &run() const { return m_run; }

signals:
    /// A script action was executed (note: what happened, e.g. a refusal; empty if it just worked).
    void actionExecuted(int index, const QString &description, const QString &note);
    /// The result signal: the run is over (or skipped, or could not be made).
    void finished(const threadlab::ScenarioResult &result);

private:
    void execute(int index);
    void executeDue();
    void scheduleNext();
    /// Milliseconds until script action index is due (<= 0: now); none while it waits for its target's event.
    std::optional<qint64> dueInMs(int index);
    /// A recover waits until every earlier action has run and every stopped worker has ended with its leaks
    /// probed (at most RecoverSettleMaxMs): it cleans up what the lesson has shown, never before it was shown.
    bool recoverMustWait(int index);
    void advanceNext();
    void scriptDone();
    void check();
    bool declared(const QString &name, Worker *w) const;
    void finish(const QString &error);
    void finishLater();
    WorkerResult collect(const ScenarioWorker &sw) const;

    Scenario m_scenario;
    Lab *m_lab = nullptr;
    bool m_ownsLab = false;
    bool m_prepared = false;
    bool m_live = false;
    bool m_stepped = false;
    int m_clickAllowanceMs = DefaultClickAllowanceMs;
    bool m_scriptDone = false;
    bool m_finished = false;
    int m_next = 0; ///< the first action not executed yet (live, one counted from an event may run before it)
    QList<bool> m_done; ///< by script index: executed
    QList<bool> m_armed; ///< by script index: clicked, waiting for the event it counts from (or, a recover, to settle)
    QHash<int, qint64> m_recoverWaitFromMs; ///< by script index: when a recover began waiting (m_clock ms)
    QMap<int, qint64> m_anchorNs; ///< by script index: when the event it counts from was recorded (CLOCK_MONOTONIC)
    QElapsedTimer m_clock; ///< started by the first action
    /// How late the script's timed actions have fired so far (ms, never negative): each later timed action is due
    /// that much later too, so a stalled moment under load shifts the rest of the script instead of squeezing the
    /// gaps the lesson relies on ("cancel, then 200 ms later free a slot").
    qint64 m_slipMs = 0;
    QTimer m_stepTimer;
    QTimer m_checkTimer;
    QTimer m_settleTimer;
    QList<QPointer<Worker>> m_workers; ///< index = scenario worker index
    QMap<QString, QStringList> m_workerNotes;
    QMap<QString, QString> m_skipped; ///< workers this build cannot run, with the reason
    ScenarioResult m_result;
    RunInfo m_run;
};

} // namespace threadlab
