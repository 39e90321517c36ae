// Drives one `threadlab run` on the event loop: repetitions of N fresh workers, each stopped after a delay.
#include "runsession.h"

#include "events/eventlog.h"
#include "lab/lab.h"
#include "lab/termination.h"

#include <QEventLoop>

namespace threadlab {

RunSession::RunSession(Lab *lab, RunOptions options, QObject *parent)
    : QObject(parent)
    , m_lab(lab)
    , m_options(std::move(options))
{
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, &RunSession::onWatchdog);
}

void RunSession::start()
{
    QTimer::singleShot(0, this, &RunSession::startRepetition);
}

QString RunSession::backendRefusal(const Worker &w, StopMethod method)
{
    // Request is allowed by every backend: what it is refused for is the worker's state, not the backend.
    const QString stateRefusal = w.refusal(StopMethod::Request);
    const QString refusal = w.refusal(method);
    return refusal == stateRefusal ? QString() : refusal;
}

int RunSession::exec(QString *error)
{
    QEventLoop loop;
    int code = 0;
    QString message;
    connect(this, &RunSession::done, &loop, [&](int exitCode, const QString &why) {
        code = exitCode;
        message = why;
        loop.quit();
    });
    start();
    loop.exec();
    if (error)
        *error = message;
    return code;
}

void RunSession::startRepetition()
{
    // The lab is shutting down (a termination signal): what ran so far is the result; outputs get written.
    if (m_lab->shutdownPhase() != ShutdownPhase::NotStarted || Termination::terminating()) {
        if (m_rep > 0)
            emit note(QStringLiteral("stopped after %1 of %2 repetition(s): the app is shutting down")
                          .arg(m_rep)
                          .arg(m_options.repeat));
        finish(m_rep > 0 ? 0 : 1, m_rep > 0 ? QString() : QStringLiteral("the app is shutting down"));
        return;
    }
    ++m_rep;
    m_current.clear();
    m_stopScheduled.clear();
    m_stopSent.clear();
    for (int i = 1; i <= m_options.workers; ++i) {
        WorkerSpec spec;
        spec.name = QStringLiteral("r%1.w%2").arg(m_rep).arg(i);
        spec.backend = m_options.backend;
        spec.workload = m_options.workload;
        spec.params = m_options.params;
        QString error;
        Worker *w = m_lab->addWorker(spec, &error);
        if (!w) {
            finish(2, error.isEmpty() ? QStringLiteral("the lab refused the worker") : error);
            return;
        }
        if (m_options.method) {
            const QString refusal = backendRefusal(*w, *m_options.method);
            if (!refusal.isEmpty()) {
                finish(2,
                    QStringLiteral("--stop %1 refused for backend %2: %3")
                        .arg(toString(*m_options.method), toString(m_options.backend), refusal));
                return;
            }
        }
        m_current.append(w);
        connect(w, &Worker::stateChanged, this, [this, w](int, WorkerState state) {
            if (state == WorkerState::Running) {
                scheduleStop(w);
                // Workers still start (process hosts wait their turn in a bounded start queue): the watchdog
                // counts from the last start, not from the repetition's.
                if (m_watchdogStage == 1)
                    m_watchdog.start();
            }
            check();
        });
        connect(w, &Worker::finished, this, &RunSession::check);
        connect(w, &Worker::ended, this, &RunSession::check);
        connect(w, &Worker::leaksProbed, this, &RunSession::check);
    }
    const QList<QPointer<Worker>> workers = m_current;
    for (const auto &w : workers)
        if (w)
            w->start();
    if (m_options.method) {
        m_watchdogStage = 1;
        m_watchdog.start(m_options.stopAfterMs + m_options.policy.graceMs + m_options.policy.killTimeoutMs + 10'000);
    } else {
        // --stop none still has an end: after --timeout the workers still running are forced.
        m_watchdogStage = 3;
        m_watchdog.start(m_options.noneTimeoutMs);
    }
    check();
}

void RunSession::scheduleStop(Worker *w)
{
    if (!m_options.method || m_stopScheduled.contains(w->id()))
        return;
    m_stopScheduled.insert(w->id());
    QTimer::singleShot(m_options.stopAfterMs, w, [this, w] { sendStop(w); });
}

void RunSession::sendStop(Worker *w)
{
    if (m_finished || !m_options.method || w->isFinished() || m_stopSent.contains(w->id()))
        return;
    m_stopSent.insert(w->id());
    QString reason;
    if (!w->stop(*m_options.method, m_options.policy, &reason))
        emit note(QStringLiteral("%1: stop refused: %2").arg(w->spec().name, reason));
}

void RunSession::check()
{
    if (m_finished || m_current.isEmpty())
        return;
    for (const auto &w : std::as_const(m_current)) {
        if (!w)
            continue;
        const bool declared = w->isFinished() && (w->leaksKnown() || !w->hasEnded());
        if (!declared)
            return;
    }
    // Declare from the event loop, after the signal that got us here has been fully handled.
    const int rep = m_rep;
    QTimer::singleShot(0, this, [this, rep] {
        if (rep == m_rep && !m_current.isEmpty())
            declare();
    });
}

void RunSession::onWatchdog()
{
    if (m_finished || m_current.isEmpty())
        return;
    if (m_watchdogStage == 3) {
        for (const auto &w : std::as_const(m_current)) {
            if (!w || w->isFinished())
                continue;
            // The strongest stop the backend has: the group kill, else the kill, else (no force) a request.
            StopMethod method = StopMethod::Request;
            if (w->refusal(StopMethod::ForceGroup).isEmpty())
                method = StopMethod::ForceGroup;
            else if (w->refusal(StopMethod::Force).isEmpty())
                method = StopMethod::Force;
            emit note(QStringLiteral("%1: --stop none: still running after --timeout %2 ms; forced (%3)")
                          .arg(w->spec().name)
                          .arg(m_options.noneTimeoutMs)
                          .arg(toString(method)));
            m_stopSent.insert(w->id());
            w->stop(method, m_options.policy);
        }
        m_watchdogStage = 2;
        m_watchdog.start(m_options.policy.graceMs + m_options.policy.killTimeoutMs + 5'000);
        return;
    }
    if (m_watchdogStage == 1) {
        // Workers that never started (e.g. queued behind unresponsive ones) get their stop now.
        for (const auto &w : std::as_const(m_current))
            if (w && !w->isFinished())
                sendStop(w);
        m_watchdogStage = 2;
        m_watchdog.start(m_options.policy.graceMs + m_options.policy.killTimeoutMs + 5'000);
        return;
    }
    emit note(QStringLiteral("repetition %1: gave up waiting for workers that never ended").arg(m_rep));
    declare();
}

RunResult RunSession::makeRecord(Worker *w) const
{
    RunResult r;
    r.snapshot = w->snapshot();
    r.method = m_options.method;
    r.fold = WorkerFold::of(w->id(), m_lab->log().forWorker(w->id()));
    return r;
}

void RunSession::declare()
{
    m_watchdog.stop();
    const QList<QPointer<Worker>> workers = m_current;
    m_current.clear();
    bool leaked = false;
    for (const auto &w : workers) {
        if (!w)
            continue;
        disconnect(w, nullptr, this, nullptr);
        RunResult r = makeRecord(w);
        leaked = leaked || !r.snapshot.leaks.isEmpty();
        m_records.append(r);
        emit recordReady(r);
    }
    if (leaked) {
        const QStringList actions = m_lab->recover();
        for (const QString &line : actions)
            emit note(QStringLiteral("lab recovered: %1").arg(line));
    }
    m_lab->clearFinished();
    if (m_rep < m_options.repeat)
        QTimer::singleShot(0, this, &RunSession::startRepetition);
    else
        finish(0, {});
}

void RunSession::finish(int exitCode, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_watchdog.stop();
    emit done(exitCode, error);
}

} // namespace threadlab
