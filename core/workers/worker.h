// A worker as its owner sees it: start, stop by a method (with grace periods), state, outcome, measurements.
#pragma once

#include "base/leak.h"
#include "base/params.h"
#include "base/vocabulary.h"
#include "base/workersnapshot.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace threadlab {

class EventLog;
class LabResources;
class StopContext;

/// What to make: the worker's name, backend, workload and resolved parameters.
struct WorkerSpec
{
    QString name;
    Backend backend = Backend::Thread;
    QString workload;
    Params params;
};

/// Deadlines of a stop: grace before escalating (and before a request is called unresponsive), and the
/// time a kill may take before the worker is called unresponsive.
struct StopPolicy
{
    int graceMs = 1000;
    int killTimeoutMs = 1000;
};

/// Base of every backend. Lives on its owner's thread; never blocks it. Subclasses implement the
/// backend-specific start, request and force; the base implements the stop methods, deadlines,
/// escalation and the outcome.
class Worker : public QObject
{
    Q_OBJECT
public:
    ~Worker() override;
    Q_DISABLE_COPY_MOVE(Worker)

    int id() const { return m_id; }
    const WorkerSpec &spec() const { return m_spec; }
    WorkerState state() const { return m_state; }
    Outcome outcome() const { return m_outcome; }
    bool isFinished() const { return m_state == WorkerState::Finished; }
    /// True once the worker's code has really ended (it may be Finished/unresponsive and still running).
    virtual bool hasEnded() const = 0;

    /// Steps done so far, CPU time used by the worker's thread(s) or process (ns; read from the system).
    virtual qint64 stepsDone() const = 0;
    virtual qint64 cpuTimeNs() const = 0;
    /// CPU time (ns) of a kernel thread of this process, read from /proc; -1 if it is gone.
    static qint64 readThreadCpuNs(qint64 tid);
    /// Leaks found after it ended (empty until probed; see leaksProbed()).
    const LeakList &leaks() const { return m_leaks; }
    bool leaksKnown() const { return m_leaksKnown; }

    /// Empty if the method applies to this worker now; otherwise one line saying why not (teaching why).
    virtual QString refusal(StopMethod method) const;
    /// Empty if pause/resume applies; otherwise why not.
    virtual QString pauseRefusal() const;
    /// The last lines the worker wrote to stderr (process workers; empty for in-process backends).
    virtual QString stderrTail() const { return {}; }
    /// What this worker is and what was sampled of it now (steps and CPU read from the system). Backends
    /// add what only they know (a host's pid, its stderr, its orphans); nobody downcasts to find it.
    virtual WorkerSnapshot snapshot() const;
    /// Cleans up what this ended worker left on the system that the lab can clean (orphaned processes
    /// of a process worker); one line per action taken. Nothing for in-process workers.
    virtual QStringList recoverLeftovers() { return {}; }

    void start();
    /// Stops by a method; returns false (and sets reason) if the method is refused.
    bool stop(StopMethod method, const StopPolicy &policy = {}, QString *reason = nullptr);
    void pause();
    void resume();

signals:
    void stateChanged(int workerId, threadlab::WorkerState state);
    /// The outcome is decided (may come before the code has really ended, for unresponsive).
    void finished(int workerId, threadlab::Outcome outcome);
    /// The worker's code has really ended (after finished() for an unresponsive worker).
    void ended(int workerId);
    void leaksProbed(int workerId, const threadlab::LeakList &leaks);

protected:
    Worker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        QObject *parent = nullptr);

    virtual void doStart() = 0;
    virtual void doRequestStop() = 0;
    virtual void doForceKill(StopMethod method) = 0;
    virtual void doPause() { }
    virtual void doResume() { }
    /// The steps of StopMethod::Escalate after the request; each waits the grace period (the last one
    /// the kill timeout). Threads: {Force}; a process: {Sigterm, ForceGroup}.
    virtual QList<StopMethod> escalationSteps() const { return { StopMethod::Force }; }
    /// Why this backend has no force-kill at all (empty: it has one). refusal() then refuses force and
    /// escalate with this reason, so the wording lives in one place per backend.
    virtual QString forceUnavailable() const { return {}; }

    void record(EventKind kind, qint64 value = 0, const QString &detail = {});
    void setState(WorkerState state);
    /// Subclasses call this on the owner's thread when the worker's code has ended (joined).
    void handleEnded(Outcome outcome);

    /// The workload's stop context (in-process backends; nullptr otherwise). The base reads it to set
    /// kill-pending before a force and to follow running -> stopping -> cleaning-up.
    virtual StopContext *stopContext() const { return nullptr; }
    /// True once a force (or a signal) was sent by stop().
    bool forceSent() const { return m_forceSent; }

    EventLog &log() const { return *m_log; }
    std::shared_ptr<EventLog> logPtr() const { return m_log; }
    std::shared_ptr<LabResources> labPtr() const { return m_lab; }

private:
    void handleDeadline();
    void probeLeaks();
    void sendKill(StopMethod method);
    void pollContext();

    const int m_id;
    const WorkerSpec m_spec;
    std::shared_ptr<EventLog> m_log;
    std::shared_ptr<LabResources> m_lab;
    WorkerState m_state = WorkerState::Created;
    Outcome m_outcome = Outcome::None;
    LeakList m_leaks;
    bool m_leaksKnown = false;
    StopMethod m_method = StopMethod::Request;
    StopPolicy m_policy;
    bool m_forceSent = false;
    QTimer m_deadline;
    QTimer m_poll; ///< follows the context (starting -> running, stopping -> cleaning-up)
    int m_escalationStep = 0;
    qint64 m_unresponsiveAtNs = 0;
};

} // namespace threadlab
