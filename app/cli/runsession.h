// Drives one `threadlab run` on the event loop: repetitions of N fresh workers, each stopped after a delay.
#pragma once

#include "runresult.h"
#include "workers/worker.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace threadlab {

class Lab;

/// What `threadlab run` was asked to do (already validated).
struct RunOptions
{
    Backend backend = Backend::Thread;
    QString workload;
    Params params; ///< resolved
    std::optional<StopMethod> method = StopMethod::Request; ///< empty: "none", let the workload complete
    int stopAfterMs = 100; ///< counted from each worker's own `started`
    StopPolicy policy;
    int workers = 1;
    int repeat = 1;
    /// --stop none only: after this long (from the repetition's start) the workers still running are forced.
    int noneTimeoutMs = 300'000;
};

/// Never blocks the event loop. Each repetition makes `workers` fresh workers, starts them, stops each
/// `stopAfterMs` after it started, and waits until every one is declared: outcome known and leaks
/// probed (or, for a worker that is unresponsive and still running, outcome known). After a repetition
/// that leaked, the lab is recovered so the next one starts clean (reported by note()).
class RunSession : public QObject
{
    Q_OBJECT
public:
    RunSession(Lab *lab, RunOptions options, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RunSession)

    /// Starts the first repetition (from the event loop).
    void start();
    /// Starts the session and runs a local event loop until it is done (events keep flowing: the
    /// workers' signals, timers); returns its exit code and sets error for a non-zero one.
    int exec(QString *error = nullptr);
    const QList<RunResult> &records() const { return m_records; }

    /// Why a backend refuses a method (e.g. force on concurrent), asked of a worker not started yet;
    /// empty if the backend allows it. (Worker::refusal() also refuses everything before start().)
    static QString backendRefusal(const Worker &w, StopMethod method);
    const RunOptions &options() const { return m_options; }

signals:
    /// A worker was declared (in declaration order).
    void recordReady(const threadlab::RunResult &record);
    /// Something the user should know (lab recovered, a stop refused at run time, a give-up).
    void note(const QString &line);
    /// All repetitions done (exitCode 0), or refused (2, error is one line) or failed (1).
    void done(int exitCode, const QString &error);

private:
    void startRepetition();
    void scheduleStop(Worker *w);
    void sendStop(Worker *w);
    void check();
    void declare();
    void onWatchdog();
    void finish(int exitCode, const QString &error);
    RunResult makeRecord(Worker *w) const;

    Lab *m_lab;
    const RunOptions m_options;
    int m_rep = 0;
    QList<QPointer<Worker>> m_current;
    QSet<int> m_stopScheduled;
    QSet<int> m_stopSent;
    QTimer m_watchdog;
    int m_watchdogStage = 0;
    bool m_finished = false;
    QList<RunResult> m_records;
};

} // namespace threadlab
