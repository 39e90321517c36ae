// A worker as its owner sees it: start, stop by a method (with grace periods), state, outcome, measurements.
#pragma once

#include "base/leak.h"
#include "base/params.h"
#include "base/vocabulary.h"
#include "base/workersnapshot.h"

#include <QEvent>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

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
/// escalation, refusals and the outcome (settled by settleOutcome(), the rule the fold uses too).
///
/// Its live state follows what the backends signal (the code started, the stop was noticed, a deadline
/// passed, the code ended); there is no polling. Views read a WorkerFold of the events, not this state:
/// the engine keeps it for its deadlines and refusals.
class Worker : public QObject
{
    Q_OBJECT
public:
    ~Worker() override;
    Q_DISABLE_COPY_MOVE(Worker)

    int id() const { return m_id; }
    const WorkerSpec &spec() const { return m_spec; }
    /// Live state: Unresponsive while past a deadline and still running; Finished only once the code ended.
    WorkerState state() const { return m_state; }
    /// None until decided; Unresponsive (provisional) while past a deadline and still running; the settled
    /// final outcome once the code has ended (the same as the fold's: the last outcome event).
    Outcome outcome() const { return m_outcome; }
    /// The outcome is decided: final, or provisionally unresponsive (the code may still run: see hasEnded()).
    bool isFinished() const { return m_outcome != Outcome::None; }
    /// True once the worker's code has really ended (it may be Finished/unresponsive and still running).
    virtual bool hasEnded() const = 0;

    /// Steps done so far, CPU time used by the worker's thread(s) or process (ns; read from the system).
    virtual qint64 stepsDone() const = 0;
    /// Where the worker's code is now, as its workload published it (cheap: an atomic load in-process, the
    /// host's last phase line for a worker host); read at frame rate by the code panel.
    virtual WorkerPhase phase() const;
    virtual qint64 cpuTimeNs() const = 0;
    /// CPU time (ns) of a kernel thread of this process, read from /proc; -1 if it is gone.
    static qint64 readThreadCpuNs(qint64 tid);
    /// Leaks found after it ended (empty until probed; see leaksProbed()).
    const LeakList &leaks() const { return m_leaks; }
    bool leaksKnown() const { return m_leaksKnown; }

    /// Why the method does not apply to this worker now (empty: it applies). The backend's capabilities
    /// (vocabulary's backendCapabilities()) come first, then the worker's state.
    std::optional<Refusal> refusalFor(StopMethod method) const;
    /// Why pause/resume does not apply now (empty: it applies).
    std::optional<Refusal> pauseRefusalFor() const;
    /// describe(refusalFor(method)): one neutral line, empty if the method applies. Never compare it.
    QString refusal(StopMethod method) const;
    /// describe(pauseRefusalFor()): empty if pause/resume applies.
    QString pauseRefusal() const;
    /// The last lines the worker wrote to stderr (process workers; empty for in-process backends).
    virtual QString stderrTail() const { return {}; }
    /// What this worker is and what was sampled of it now (steps and CPU read from the system). Backends
    /// add what only they know (a host's pid, its stderr, its orphans); nobody downcasts to find it.
    virtual WorkerSnapshot snapshot() const;
    /// Cleans up what this ended worker left on the system that the lab can clean (orphaned processes
    /// of a process worker); one line per action taken. Nothing for in-process workers.
    virtual QStringList recoverLeftovers() { return {}; }
    /// The directory whose files the leak probe may read (the lab's; a process worker's host directory).
    virtual QString resourceDir() const;

    void start();
    /// Sends now a request stop() left for the owner's next idle moment: records it, sets the flag, starts the
    /// grace. Nothing if none is waiting. For paths that cannot wait for the loop (a shutdown) and for a backend
    /// that reports its end, so that the request is recorded before the end it did not cause.
    void sendPendingRequest();
    /// Stops by a method; returns false (and sets reason to the refusal's wording) if the method is refused.
    /// A request (Request, Escalate) is recorded and sent when the owner's event loop next goes idle, after
    /// the owner's own work for it (see sendRequestWhenIdle()); kills go at once.
    bool stop(StopMethod method, const StopPolicy &policy = {}, QString *reason = nullptr);
    void pause();
    void resume();

signals:
    void stateChanged(int workerId, threadlab::WorkerState state);
    /// The outcome is decided, once per worker: the final outcome of code that ended, or the provisional
    /// Unresponsive of code still running past its deadline (its final outcome then comes with ended()).
    void finished(int workerId, threadlab::Outcome outcome);
    /// The worker's code has really ended, once per worker, with its settled final outcome (after
    /// finished(); for an unresponsive worker this is where its real outcome becomes known).
    void ended(int workerId, threadlab::Outcome finalOutcome);
    void leaksProbed(int workerId, const threadlab::LeakList &leaks);

protected:
    void customEvent(QEvent *event) override;

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
    /// False while the backend cannot be paused yet or any more (a host not started or reaped).
    virtual bool pauseReady() const { return true; }
    /// The workload observed a stop (in-process: its stop context; a process: the host's stop-observed).
    virtual bool stopObserved() const;

    void record(EventKind kind, qint64 value = 0, const QString &detail = {});
    void setState(WorkerState state);
    /// The code began to run (owner's thread): starting -> running.
    void handleCodeStarted();
    /// The workload noticed the stop (owner's thread): stopping -> cleaning-up.
    void handleStopNoticed();
    /// Subclasses call this on the owner's thread when the worker's code has ended (joined), with the raw
    /// outcome of the end (completed, killed, cancelled, crashed, failed); the base settles it.
    void handleEnded(Outcome raw);

    /// Thread-safe callbacks for the worker's own threads (callable at any time, even after this worker is
    /// gone): each runs handleCodeStarted() / handleStopNoticed() later on this worker's thread.
    std::function<void()> codeStartedNotifier();
    std::function<void()> stopNoticedNotifier();
    /// Queues f on this worker's thread from any thread; dropped if the worker is gone by then. f may use
    /// this worker: it runs only while the worker lives.
    std::function<void(std::function<void()>)> poster();
    /// Stops the worker's threads from reaching this worker (idempotent). Backends call it first in their
    /// destructor, so nothing is posted to a half-destroyed worker; ~Worker calls it too.
    void detachOwnerLink();

    /// The workload's stop context (in-process backends; nullptr otherwise). The base sets kill-pending
    /// on it before a force.
    virtual StopContext *stopContext() const { return nullptr; }
    /// True once a force (or a signal) was sent by stop().
    bool forceSent() const { return m_forceSent; }

    EventLog &log() const { return *m_log; }
    std::shared_ptr<EventLog> logPtr() const { return m_log; }
    std::shared_ptr<LabResources> labPtr() const { return m_lab; }

private:
    struct OwnerLink;
    void handleDeadline();
    void probeLeaks();
    void sendKill(StopMethod method);
    void stateFromStop();
    /// Leaves the request stop() accepted for the owner's next idle moment (now when no event loop runs).
    void sendRequestWhenIdle();
    static QEvent::Type requestDueEvent();

    const int m_id;
    const WorkerSpec m_spec;
    std::shared_ptr<EventLog> m_log;
    std::shared_ptr<LabResources> m_lab;
    std::shared_ptr<OwnerLink> m_link; ///< how the worker's threads reach us; detached in the destructor
    WorkerState m_state = WorkerState::Created;
    Outcome m_outcome = Outcome::None;
    LeakList m_leaks;
    bool m_leaksKnown = false;
    StopMethod m_method = StopMethod::Request;
    StopMethod m_lastSent = StopMethod::Request; ///< the last thing stop() or escalation sent
    StopPolicy m_policy;
    bool m_stopRequested = false;
    bool m_requestPending = false; ///< a request accepted by stop() and not yet sent
    bool m_forceSent = false;
    QTimer m_deadline;
    int m_escalationStep = 0;
    qint64 m_unresponsiveAtNs = 0;
};

} // namespace threadlab
