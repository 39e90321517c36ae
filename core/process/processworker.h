// The `process` backend: a worker host (exec'd or forked) in its own process group, spoken to by the protocol.
#pragma once

#include "hostprocess.h"
#include "protocol.h"
#include "workers/worker.h"

#include <QTimer>
#include <optional>

namespace threadlab {

/// Starts `threadlab-worker` (found next to the app, never on PATH; exec'd or forked by the fork server, see
/// setStartMode()), or for the python backends python3 with threadlab-pyhost.py (shipped beside
/// threadlab-worker, always exec'd), with an argument list, through a HostProcess in its own process group with
/// PR_SET_PDEATHSIG, and follows it through the line protocol. Stops: request (stdin
/// "stop"), sigterm, force (SIGKILL to the host), force-group (SIGKILL to -pgid), escalate (request,
/// SIGTERM, SIGKILL to the group). Must be started on the main thread (PDEATHSIG follows the creating thread).
class ProcessWorker final : public Worker
{
    Q_OBJECT
public:
    ProcessWorker(int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab,
        QObject *parent = nullptr);
    /// Never leaves a running host behind: SIGKILL to the group, then a short bounded wait for the reap.
    ~ProcessWorker() override;
    Q_DISABLE_COPY_MOVE(ProcessWorker)

    bool hasEnded() const override { return m_reaped || state() == WorkerState::Created; }
    qint64 stepsDone() const override { return m_steps; }
    qint64 cpuTimeNs() const override;
    QString stderrTail() const override;
    WorkerSnapshot snapshot() const override;
    WorkerPhase phase() const override;
    QStringList recoverLeftovers() override;
    /// The host's own directory inside the app's TempRoot (the only place the leak probe reads files).
    QString resourceDir() const override { return m_hostDir; }

    /// The host's pid and process group (0 before it started).
    qint64 pid() const { return m_pid; }
    qint64 pgid() const { return m_pgid; }
    /// After the reap: the exit code of a normal exit, or the number of the signal that killed the host.
    std::optional<int> exitCode() const { return m_exitCode; }
    std::optional<int> exitSignal() const { return m_exitSignal; }
    /// "exit code 3", "signal SIGKILL", or empty before the reap.
    QString exitDescription() const;
    /// The protocol fault that failed the worker (empty if none).
    QString protocolFault() const { return m_fault; }
    /// Child pids the host declared (resource messages).
    QList<qint64> childPids() const { return m_childPids; }
    /// The host's descendants still running at the reap, in its group or escaped from it (ProcessTree; see
    /// snapshot() for now).
    QList<qint64> orphanPids() const { return m_orphans; }
    /// CLOCK_MONOTONIC ns when the hello was handled / when the reap was delivered (0 before).
    qint64 helloAtNs() const { return m_helloAtNs; }
    qint64 reapedAtNs() const { return m_reapedAtNs; }
    /// SIGKILLs (through pidfds) every descendant the host left running, in its group or not (setsid()); returns
    /// how many were alive. Records a note.
    int killOrphans();

    /// How long a host may take to say hello, counted from its real start (it may wait in HostStartQueue
    /// first); default 15000 ms, also $THREADLAB_HELLO_TIMEOUT_MS.
    static void setHelloTimeoutMs(int ms);
    /// How `threadlab-worker` hosts are started from now on (the app's --process-start, else
    /// $THREADLAB_PROCESS_START, else forkserver where the kernel has pidfds and the app is a subreaper, exec
    /// otherwise). Python hosts are always exec'd.
    static void setStartMode(ProcessStart start);
    static ProcessStart startMode();

signals:
    /// The host was reaped and its group still has live processes.
    void orphansFound(int workerId, const QList<qint64> &pids);

protected:
    void doStart() override;
    void doRequestStop() override;
    void doForceKill(StopMethod method) override;
    void doPause() override;
    void doResume() override;
    /// process: SIGTERM, then SIGKILL to the group; python: the async exception; python-process: terminate(),
    /// then kill().
    QList<StopMethod> escalationSteps() const override;
    /// SIGSTOP/SIGCONT need a live host group.
    bool pauseReady() const override { return m_pgid > 1 && !m_reaped; }
    /// The host reported stop-observed: its workload really acted on the stop (not just the host reading it).
    bool stopObserved() const override { return m_stopObserved; }

private:
    void handleStarted();
    void handleStdout();
    void handleStderr();
    void handleStdoutClosed();
    void handleFinished(int code, bool signalled);
    void handleFailedToStart(const QString &why);
    void handleLine(const QByteArray &line);
    void handleMessage(const HostMessage &m, const QByteArray &line);
    /// Fails the worker: records the fault with the offending input quoted, kills the host's group.
    void fault(const QString &why, QByteArrayView input);
    void finishWithoutProcess(Outcome outcome, const QString &why);
    void removeHostDir();
    /// Leaves the start queue (hello, fault, end, failure to start): the next host may start.
    void startSettled();
    void cancelQueuedStart();

    std::unique_ptr<HostProcess> m_process; ///< never destroyed while running (see the destructor)
    HostLineSplitter m_lines;
    QTimer m_helloTimer;
    QTimer m_closedTimer;
    QByteArray m_stderr;
    qint64 m_pid = 0;
    qint64 m_pgid = 0;
    qint64 m_steps = 0;
    mutable qint64 m_lastCpuNs = 0;
    WorkerPhase m_phase = WorkerPhase::None; ///< the host's last "phase" line
    qint64 m_lastProgressRecordNs = 0;
    int m_stdoutGoneTicks = 0;
    qint64 m_helloAtNs = 0;
    qint64 m_reapedAtNs = 0;
    bool m_hello = false;
    bool m_bye = false;
    bool m_hostExited = false;
    bool m_reaped = false;
    bool m_signalSent = false;
    bool m_stopObserved = false;
    Outcome m_byeOutcome = Outcome::None;
    QString m_fault;
    std::optional<int> m_exitCode;
    std::optional<int> m_exitSignal;
    QList<qint64> m_childPids;
    QList<qint64> m_orphans;
    int m_hostId = 0; ///< the host's id in ProcessTree (0 before doStart)
    QString m_hostDir; ///< made before the start, removed once the leak report has looked at it
    int m_startTicket = 0; ///< HostStartQueue: from doStart() until hello or the end
    bool m_startedProcess = false; ///< the queue let it start
    std::optional<StopMethod> m_pendingStop; ///< a kill that came between the start and its pid
};

} // namespace threadlab
