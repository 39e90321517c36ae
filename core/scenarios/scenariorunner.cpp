// Runs one scenario on a Lab: the timed script (live or step by step), then the expectation check.
#include "scenariorunner.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "expectationchecker.h"
#include "lab/lab.h"
#include "lessontext.h"
#include "model/workerfold.h"
#include "workers/worker.h"

#include <algorithm>

namespace threadlab {

namespace {

constexpr int CheckIntervalMs = 20;
/// The longest a recover waits for the stopped workers to settle (a worker that ignores its stop for longer is
/// recovered as it is).
constexpr qint64 RecoverSettleMaxMs = 10'000;

} // namespace

ScenarioRunner::ScenarioRunner(Scenario scenario, Lab *lab, QObject *parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
    , m_lab(lab)
{
    if (!m_lab) {
        m_lab = new Lab(this);
        m_ownsLab = true;
    }
    m_result.id = m_scenario.id;
    m_result.title = m_scenario.title;
    m_result.lesson = LessonText::render(m_scenario.lesson, {}); // until the run measured something
    m_result.path = m_scenario.path;
    m_done.fill(false, m_scenario.script.size());
    m_armed.fill(false, m_scenario.script.size());
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &ScenarioRunner::executeDue);
    m_checkTimer.setInterval(CheckIntervalMs);
    connect(&m_checkTimer, &QTimer::timeout, this, &ScenarioRunner::check);
    m_settleTimer.setSingleShot(true);
    connect(&m_settleTimer, &QTimer::timeout, this, [this] {
        QStringList waiting;
        for (qsizetype i = 0; i < m_workers.size(); ++i) {
            Worker *w = m_workers.at(i);
            if (w && !declared(m_scenario.workers.at(i).name, w))
                waiting << QStringLiteral("%1 (%2)").arg(m_scenario.workers.at(i).name,
                    w->hasEnded() ? QStringLiteral("leaks not probed yet")
                                  : toString(WorkerFold::of(w->id(), m_lab->log().forWorker(w->id())).state()));
        }
        finish(QStringLiteral("gave up after settle_ms = %1 ms waiting for: %2")
                   .arg(m_scenario.settleMs)
                   .arg(waiting.join(QStringLiteral(", "))));
    });
}

ScenarioRunner::~ScenarioRunner()
{
    m_stepTimer.stop();
    m_checkTimer.stop();
    m_settleTimer.stop();
    if (m_ownsLab)
        delete m_lab; // its destructor runs the documented shutdown with a deadline
}

Worker *ScenarioRunner::worker(const QString &name) const
{
    for (qsizetype i = 0; i < m_scenario.workers.size() && i < m_workers.size(); ++i)
        if (m_scenario.workers.at(i).name == name)
            return m_workers.at(i);
    return nullptr;
}

bool ScenarioRunner::prepare()
{
    if (m_prepared)
        return !m_finished;
    m_prepared = true;
    if (m_stepped) {
        // The lesson's workers outlast the pauses between clicks; said in the result, since it changes durations.
        m_scenario = pacedForSteps(m_scenario, m_clickAllowanceMs);
        m_result.notes << QStringLiteral("stepped: each worker the script stops runs up to %1 s longer per click, so "
                                         "nothing ends on its own before the click that stops it")
                              .arg(m_clickAllowanceMs / 1000.0, 0, 'g', 3);
    }
    const QStringList reasons = m_scenario.unavailableReasons();
    if (reasons.size() == m_scenario.workers.size()) {
        m_result.skipped = true;
        m_result.skipReason = reasons.join(QStringLiteral("; "));
        m_finished = true;
        finishLater();
        return false;
    }
    if (m_scenario.poolThreads > 0)
        m_lab->pool().setMaxThreadCount(m_scenario.poolThreads);
    // A scenario run is one run of the lab: its workers join it, its zero is their first start.
    m_run = m_lab->beginRun(m_scenario.title, m_scenario.id);
    for (const ScenarioWorker &sw : std::as_const(m_scenario.workers)) {
        const QString why = Scenario::unavailableReason(sw);
        if (!why.isEmpty()) {
            // Runs without it; the worker is reported as skipped with the reason, not as failed.
            m_skipped.insert(sw.name, why);
            m_result.notes << QStringLiteral("%1 skipped: %2").arg(sw.name, why);
            m_workers << nullptr;
            continue;
        }
        QString error;
        Worker *w = m_lab->addWorker({ sw.name, sw.backend, sw.workload, sw.params }, &error);
        if (!w) {
            m_result.error = QStringLiteral("cannot make worker %1: %2").arg(sw.name, error);
            m_finished = true;
            finishLater();
            return false;
        }
        m_workers << w;
        connect(w, &Worker::finished, this, &ScenarioRunner::check);
        connect(w, &Worker::ended, this, &ScenarioRunner::check);
        connect(w, &Worker::leaksProbed, this, &ScenarioRunner::check);
    }
    return true;
}

void ScenarioRunner::setStepped(bool stepped, int clickAllowanceMs)
{
    if (m_prepared)
        return; // the workers are made: their durations are fixed
    m_stepped = stepped;
    m_clickAllowanceMs = qMax(1, clickAllowanceMs);
}

QString ScenarioRunner::nextStepHint() const
{
    if (m_finished || m_next >= m_scenario.script.size())
        return {};
    const QString watch = clickWatch(m_scenario, m_next);
    return watch.isEmpty() ? clickAction(m_scenario, m_next) : clickAction(m_scenario, m_next) + u' ' + watch;
}

bool ScenarioRunner::step()
{
    if (!m_prepared)
        setStepped(true, m_clickAllowanceMs);
    if (!prepare() || m_finished || m_next >= m_scenario.script.size())
        return false;
    if (!m_clock.isValid())
        m_clock.start();
    // A click is the teacher's timing, but an action counted from an event never lands before that event: a
    // click that comes first arms it, and it runs when the event comes (a worker host may take a while to start).
    const int end = clickEnd(m_scenario, m_next);
    for (int i = m_next; i < end && !m_finished; ++i) {
        if (m_done.at(i))
            continue;
        m_armed[i] = m_scenario.script.at(i).from.has_value()
            || (m_scenario.script.at(i).action == ScriptAction::Recover && recoverMustWait(i));
        const std::optional<qint64> due = m_armed.at(i) ? dueInMs(i) : std::optional<qint64>(0);
        if (due && *due <= 0)
            execute(i);
    }
    advanceNext();
    if (!m_done.contains(false))
        scriptDone();
    else
        scheduleNext();
    return true;
}

void ScenarioRunner::runLive()
{
    if (!prepare() || m_finished)
        return;
    m_live = true;
    if (!m_clock.isValid())
        m_clock.start();
    if (!m_done.contains(false))
        scriptDone();
    else
        scheduleNext();
}

void ScenarioRunner::advanceNext()
{
    while (m_next < m_scenario.script.size() && (m_done.at(m_next) || m_armed.at(m_next)))
        ++m_next;
}

bool ScenarioRunner::recoverMustWait(int index)
{
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (!m_recoverWaitFromMs.contains(index))
        m_recoverWaitFromMs.insert(index, now);
    const qint64 since = m_recoverWaitFromMs.value(index);
    if (now - since > RecoverSettleMaxMs)
        return false;
    for (int j = 0; j < index; ++j)
        if (!m_done.at(j))
            return true;
    for (const Worker *w : std::as_const(m_workers)) {
        if (!w)
            continue;
        if (w->hasEnded() ? !w->leaksKnown()
                          : (w->state() == WorkerState::Stopping || w->state() == WorkerState::CleaningUp))
            return true;
    }
    return false;
}

std::optional<qint64> ScenarioRunner::dueInMs(int index)
{
    const ScriptStep &s = m_scenario.script.at(index);
    if (s.action == ScriptAction::Recover && recoverMustWait(index))
        return std::nullopt;
    if (!s.from)
        return m_armed.at(index) ? 0 : s.atMs + m_slipMs - m_clock.elapsed();
    const qint64 offsetMs = m_armed.at(index) ? 0 : s.atMs; // clicked: at the event itself
    auto anchor = m_anchorNs.constFind(index);
    if (anchor == m_anchorNs.cend()) {
        Worker *w = worker(s.target);
        if (!w)
            return 0; // skipped in this build: execute() passes it by
        const EventList events = m_lab->log().forWorker(w->id());
        const auto it = std::find_if(events.cbegin(), events.cend(), [&](const Event &e) { return e.kind == *s.from; });
        if (it == events.cend()) {
            // Its code ended (or it has its outcome) without the event: now, to be refused with a note. One that
            // has not started yet (its start comes later in the script) is waited for.
            const bool ended = std::any_of(events.cbegin(), events.cend(),
                [](const Event &e) { return e.kind == EventKind::Exited || e.kind == EventKind::Outcome; });
            return ended ? std::optional<qint64>(0) : std::nullopt;
        }
        anchor = m_anchorNs.insert(index, it->tNs);
    }
    // Rounded up: a timer never fires before the action is due.
    return (*anchor + offsetMs * 1'000'000 - monotonicNowNs() + 999'999) / 1'000'000;
}

void ScenarioRunner::scheduleNext()
{
    std::optional<qint64> wait;
    for (int i = 0; i < m_scenario.script.size(); ++i) {
        if (m_done.at(i) || !(m_live || m_armed.at(i)))
            continue;
        // One that waits for its target's event looks again at the check interval.
        const qint64 due = dueInMs(i).value_or(CheckIntervalMs);
        wait = qMin(wait.value_or(due), due);
    }
    if (wait)
        m_stepTimer.start(int(std::clamp<qint64>(*wait, 0, MaxScriptMs)));
}

void ScenarioRunner::executeDue()
{
    // In script order; an action counted from an event is due when its event came, maybe before earlier ones.
    for (int i = 0; i < m_scenario.script.size() && !m_finished; ++i) {
        if (m_done.at(i) || !(m_live || m_armed.at(i)))
            continue;
        const std::optional<qint64> due = dueInMs(i);
        if (due && *due <= 0)
            execute(i);
    }
    advanceNext();
    if (!m_done.contains(false))
        scriptDone();
    else
        scheduleNext();
}

void ScenarioRunner::execute(int index)
{
    m_done[index] = true;
    const ScriptStep &s = m_scenario.script.at(index);
    if (!s.from && m_live && m_clock.isValid())
        m_slipMs = std::max(m_slipMs, m_clock.elapsed() - s.atMs);
    const QString description = s.from
        ? QStringLiteral("%1 ms from %2's %3: %4 %2").arg(s.atMs).arg(s.target, toString(*s.from), toString(s.action))
        : QStringLiteral("%1 ms: %2 %3").arg(s.atMs).arg(toString(s.action), s.target);
    QStringList notes;
    if (s.from && !m_anchorNs.contains(index)) {
        if (worker(s.target)) {
            const QString line = QStringLiteral("%1 on %2: it ended without %3, so the action came at its end")
                                     .arg(toString(s.action), s.target, toString(*s.from));
            m_workerNotes[s.target] << line;
            m_result.notes << line;
            notes << line;
        }
    }
    if (s.action == ScriptAction::Recover) {
        notes = m_lab->recover();
        if (notes.isEmpty())
            notes << QStringLiteral("recover: the lab was already clean");
        m_result.notes << notes;
        emit actionExecuted(index, description, notes.join(QStringLiteral("; ")));
        return;
    }
    for (qsizetype i = 0; i < m_workers.size(); ++i) {
        const QString &name = m_scenario.workers.at(i).name;
        Worker *w = m_workers.at(i);
        if (!w || (s.target != u"*" && s.target != name))
            continue;
        QString note;
        if (s.action == ScriptAction::Start) {
            if (w->state() == WorkerState::Created)
                w->start();
            else
                note = QStringLiteral("already started");
        } else if (s.action == ScriptAction::Pause || s.action == ScriptAction::Resume) {
            note = w->pauseRefusal();
            if (note.isEmpty())
                s.action == ScriptAction::Pause ? w->pause() : w->resume();
        } else if (const auto method = stopMethodOf(s.action)) {
            QString reason;
            if (!w->stop(*method, s.policy, &reason))
                note = reason;
        }
        if (!note.isEmpty()) {
            const QString line = QStringLiteral("%1 on %2 refused: %3").arg(toString(s.action), name, note);
            m_workerNotes[name] << line;
            m_result.notes << line;
            notes << line;
        }
    }
    emit actionExecuted(index, description, notes.join(QStringLiteral("; ")));
}

void ScenarioRunner::scriptDone()
{
    if (m_scriptDone || m_finished)
        return;
    m_scriptDone = true;
    m_stepTimer.stop();
    m_checkTimer.start();
    m_settleTimer.start(m_scenario.settleMs);
    check();
}

bool ScenarioRunner::declared(const QString &name, Worker *w) const
{
    if (m_skipped.contains(name))
        return true;
    if (!w)
        return false;
    // Read from the fold of its events, as every view does: ended (then its leaks must be probed), or past its
    // deadline and still running.
    const WorkerFold fold = WorkerFold::of(w->id(), m_lab->log().forWorker(w->id()));
    if (fold.hasEnded() && w->hasEnded())
        return w->leaksKnown();
    if (fold.state() == WorkerState::Unresponsive || fold.outcome() == Outcome::Unresponsive) {
        // Still running after its deadline: declared, unless its expectation needs it to end first.
        const auto it = m_scenario.expect.constFind(name);
        if (it == m_scenario.expect.cend())
            return true;
        return it->leaksPresent.isEmpty() && it->leaksAbsent.isEmpty() && !it->ended.value_or(false);
    }
    return false;
}

void ScenarioRunner::check()
{
    if (!m_scriptDone || m_finished)
        return;
    for (qsizetype i = 0; i < m_workers.size(); ++i)
        if (!declared(m_scenario.workers.at(i).name, m_workers.at(i)))
            return;
    finish({});
}

WorkerResult ScenarioRunner::collect(const ScenarioWorker &sw) const
{
    WorkerResult r;
    if (Worker *w = worker(sw.name)) {
        static_cast<WorkerSnapshot &>(r) = w->snapshot();
        // Outcome, class and latencies come from the one fold of its events, as every view reads them.
        const WorkerFold fold = WorkerFold::of(w->id(), m_lab->log().forWorker(w->id()));
        r.outcome = fold.outcome();
        r.outcomeClass = fold.outcomeClass();
        r.latencies = fold.latencies();
        for (const LatencyLine &line : fold.latencyLines())
            r.latencyLines << line.label;
        r.headline = fold.headline();
        r.ended = w->hasEnded();
        // What its timeline says (each text once: a lock holder notes every step): notes, exit descriptions.
        for (const Event &m : fold.marks())
            if (!m.detail.isEmpty() && r.marks.size() < 256 && !r.marks.contains(m.detail))
                r.marks << m.detail;
    } else {
        r.id = -1;
        r.backend = sw.backend;
        r.workload = sw.workload;
        r.params = sw.params;
    }
    r.name = sw.name;
    r.notes = m_workerNotes.value(sw.name);
    r.skipped = m_skipped.value(sw.name);
    const auto it = m_scenario.expect.constFind(sw.name);
    if (it != m_scenario.expect.cend() && r.skipped.isEmpty()) {
        r.checked = true;
        r.failures = ExpectationChecker::check(*it, r);
    }
    return r;
}

void ScenarioRunner::finish(const QString &error)
{
    if (m_finished && !m_result.workers.isEmpty())
        return;
    m_finished = true;
    m_stepTimer.stop();
    m_checkTimer.stop();
    m_settleTimer.stop();
    if (!error.isEmpty())
        m_result.error = error;
    m_result.durationNs = m_clock.isValid() ? m_clock.nsecsElapsed() : 0;
    m_result.workers.clear();
    for (const ScenarioWorker &sw : std::as_const(m_scenario.workers))
        m_result.workers << collect(sw);
    // The lesson's numbers are this run's: its placeholders are filled from the figures just collected.
    m_result.lesson = LessonText::render(m_scenario.lesson, LessonText::figures(m_result));
    emit finished(m_result);
}

void ScenarioRunner::finishLater()
{
    QTimer::singleShot(0, this, [this] { emit finished(m_result); });
}

} // namespace threadlab
