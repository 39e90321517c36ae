// The `process` backend: a HostProcess (exec or fork server), the protocol reader, signals, exit decoding, orphans.
#include "processworker.h"

#include "base/clock.h"
#include "events/eventlog.h"
#include "hoststartqueue.h"
#include "ledger/labresources.h"
#include "ledger/temproot.h"
#include "processsystem.h"
#include "processtree.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QThread>
#include <csignal>

namespace threadlab {

namespace {

constexpr qsizetype StderrTailBytes = 16 * 1024;
constexpr int DefaultHelloTimeoutMs = 15000; // a host says hello in ms; 15 s bounds a hung one, not a loaded machine
constexpr int ClosedCheckMs = 250;
constexpr qint64 ProgressRecordIntervalNs = 100'000'000;
int s_helloTimeoutMs = -1;
std::optional<ProcessStart> s_startMode;

int helloTimeoutMs()
{
    if (s_helloTimeoutMs > 0)
        return s_helloTimeoutMs;
    bool ok = false;
    const int env = qEnvironmentVariableIntValue("THREADLAB_HELLO_TIMEOUT_MS", &ok);
    return ok && env > 0 ? env : DefaultHelloTimeoutMs;
}

/// Resources the operating system reclaims with the host process: the app must not probe them in itself.
bool reclaimedWithProcess(const QString &detail)
{
    return detail.startsWith(u"fd ") || detail.startsWith(u"lock ") || detail.startsWith(u"memory ")
        || detail.startsWith(u"thread ");
}

} // namespace

ProcessWorker::ProcessWorker(
    int id, WorkerSpec spec, std::shared_ptr<EventLog> log, std::shared_ptr<LabResources> lab, QObject *parent)
    : Worker(id, std::move(spec), std::move(log), std::move(lab), parent)
{
    // The host's directory goes once the leak report has looked at what the host left in it.
    connect(this, &Worker::leaksProbed, this, &ProcessWorker::removeHostDir);
    m_helloTimer.setSingleShot(true);
    connect(&m_helloTimer, &QTimer::timeout, this, [this] {
        if (!m_hello && !m_hostExited)
            fault(QStringLiteral("no hello within %1 ms").arg(m_helloTimer.interval()), m_lines.pending());
    });
    // The end of stdout is confirmed by looking at the host's fd 1: from stdoutClosed() on, or, for a start that
    // does not report that end while the host runs (QProcess), from hello on (see HostProcess::reportsStdoutEnd).
    m_closedTimer.setInterval(ClosedCheckMs);
    connect(&m_closedTimer, &QTimer::timeout, this, [this] {
        // A host the lab has signalled is dying by our hand: the kernel closes its fds before the process is
        // reapable, and under heavy load that window spans ticks; its finished() decides the outcome.
        if (m_hostExited || m_bye || !m_fault.isEmpty() || m_pid <= 0 || m_signalSent)
            return;
        // A host that has exited but is not reaped yet (a zombie has no fd 1) is dying, not misbehaving: under
        // load its reap can come after two ticks; its finished() decides the outcome.
        if (!ProcessTree::instance().isAlive(m_pid) || ProcessTree::isDying(m_pid))
            return; // a host that crashes or exits closes its fds in do_exit(), before it is reapable
        if (QFileInfo::exists(QStringLiteral("/proc/%1/fd/1").arg(m_pid))) {
            m_stdoutGoneTicks = 0;
            return;
        }
        handleStdout(); // a bye written just before the exit is in the pipe: read it first
        // Two ticks in a row: a host that is merely dying gets its finished() delivered first.
        if (!m_bye && m_fault.isEmpty() && ++m_stdoutGoneTicks >= 2)
            fault(QStringLiteral("the host closed its stdout before bye and kept running"), m_lines.pending());
    });
}

ProcessWorker::~ProcessWorker()
{
    HostStartQueue::instance().done(m_startTicket);
    if (m_process && m_process->isRunning()) {
        m_process->disconnect(this);
        if (!ProcessTree::instance().signalGroup(m_hostId, SIGKILL))
            m_process->kill();
        // SIGKILL is reaped within milliseconds; the bound only guards against the impossible.
        m_process->waitForFinished(2000);
    }
    if (m_hostId > 0 && !m_reaped)
        ProcessTree::instance().hostReaped(m_hostId); // its descendants stay tracked (killed at the app's exit)
    removeHostDir();
}

void ProcessWorker::removeHostDir()
{
    if (!m_hostDir.isEmpty() && (m_reaped || !m_process || !m_process->isRunning()))
        TempRoot::removeDir(m_hostDir);
}

void ProcessWorker::setHelloTimeoutMs(int ms)
{
    s_helloTimeoutMs = ms;
}

void ProcessWorker::setStartMode(ProcessStart start)
{
    s_startMode = start;
}

ProcessStart ProcessWorker::startMode()
{
    if (s_startMode)
        return *s_startMode;
    if (const auto env = processStartFromString(qEnvironmentVariable("THREADLAB_PROCESS_START")))
        return *env;
    // The fork server needs pidfds (its hosts are signalled and reaped through them) and the app as subreaper.
    return ProcessTree::hasPidfd() && ProcessTree::isSubreaper() ? ProcessStart::ForkServer : ProcessStart::Exec;
}

qint64 ProcessWorker::cpuTimeNs() const
{
    if (!m_reaped && m_pid > 0) {
        const qint64 ns = ProcessSystem::cpuTimeNs(m_pid);
        if (ns > 0)
            m_lastCpuNs = ns;
    }
    return m_lastCpuNs;
}

WorkerPhase ProcessWorker::phase() const
{
    return m_reaped ? WorkerPhase::Finished : m_phase;
}

WorkerSnapshot ProcessWorker::snapshot() const
{
    WorkerSnapshot s = Worker::snapshot();
    s.hostPid = m_pid;
    // Those still alive now: a recover() or a kill since the reap has taken the others.
    for (qint64 pid : m_orphans)
        if (ProcessTree::instance().isAlive(pid))
            s.orphanPids << pid;
    return s;
}

QString ProcessWorker::stderrTail() const
{
    return QString::fromUtf8(m_stderr);
}

QString ProcessWorker::exitDescription() const
{
    if (m_exitSignal)
        return QStringLiteral("signal %1").arg(ProcessSystem::signalName(*m_exitSignal));
    if (m_exitCode)
        return QStringLiteral("exit code %1").arg(*m_exitCode);
    return {};
}

int ProcessWorker::killOrphans()
{
    // Never kill(-pgid) after the reap: the group id may have been recycled. The tree's pidfds cannot be.
    const int n = m_reaped && m_hostId > 0 ? ProcessTree::instance().killDescendants(m_hostId) : 0;
    record(EventKind::Note, n, QStringLiteral("killed %1 orphan(s) of host %2").arg(n).arg(m_pid));
    return n;
}

QStringList ProcessWorker::recoverLeftovers()
{
    if (!m_reaped || m_hostId <= 0 || ProcessTree::instance().liveDescendants(m_hostId).isEmpty())
        return {};
    const int n = killOrphans();
    return { QStringLiteral("%1: killed %2 orphaned process(es) of host %3").arg(spec().name).arg(n).arg(m_pid) };
}

void ProcessWorker::finishWithoutProcess(Outcome outcome, const QString &why)
{
    sendPendingRequest();
    record(EventKind::Note, 0, why);
    QTimer::singleShot(0, this, [this, outcome] {
        m_reaped = true;
        handleEnded(outcome);
    });
}

void ProcessWorker::doStart()
{
    if (QCoreApplication::instance() && QThread::currentThread() != QCoreApplication::instance()->thread()) {
        finishWithoutProcess(Outcome::Failed,
            QStringLiteral("a process worker must be started on the main thread "
                           "(PR_SET_PDEATHSIG follows the thread that created the process)"));
        return;
    }
    QString error;
    QString exe;
    QStringList arguments;
    if (isPython(spec().backend)) {
        // The Python host is a script run by python3; it runs the workload in a thread or a multiprocessing child.
        const ProcessSystem::PythonHost host = ProcessSystem::pythonHost(&error);
        exe = host.interpreter;
        // -I: isolated (no PYTHON* variables, no user site: nothing from the environment is imported);
        // -S: no site module (the host needs the standard library only, and starts faster without it).
        arguments << QStringLiteral("-I") << QStringLiteral("-S") << host.script << QStringLiteral("--mode")
                  << (spec().backend == Backend::Python ? QStringLiteral("thread") : QStringLiteral("process"));
    } else {
        exe = ProcessSystem::hostExecutable(&error);
    }
    if (exe.isEmpty()) {
        finishWithoutProcess(Outcome::Failed, error);
        return;
    }
    // The host's private directory inside the app's temporary root; the host works only there.
    QString dirError;
    m_hostDir = TempRoot::makeDir(QStringLiteral("host-%1-").arg(id()), &dirError);
    if (m_hostDir.isEmpty()) {
        finishWithoutProcess(Outcome::Failed, QStringLiteral("no directory for the worker host: %1").arg(dirError));
        return;
    }
    if (isPython(spec().backend))
        arguments << QStringLiteral("--lab-dir") << m_hostDir; // its files go where the leak probe looks
    m_process = HostProcess::create(isPython(spec().backend) ? ProcessStart::Exec : startMode());
    // The owner mark: the host and every descendant inherit it, so one re-parented to the app is known as ours.
    m_hostId = ProcessTree::instance().registerHost();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(ProcessTree::ownerVariable(), ProcessTree::markOf(m_hostId));
    env.insert(LabResources::hostDirVariable(), m_hostDir);
    const QByteArray params = QJsonDocument(QJsonObject::fromVariantMap(spec().params)).toJson(QJsonDocument::Compact);
    arguments << QStringList { QStringLiteral("--worker-id"), QString::number(id()), QStringLiteral("--workload"),
        spec().workload, QStringLiteral("--params"), QString::fromUtf8(params) };
    HostProcess *host = m_process.get();
    connect(host, &HostProcess::started, this, &ProcessWorker::handleStarted);
    connect(host, &HostProcess::readyReadStdout, this, &ProcessWorker::handleStdout);
    connect(host, &HostProcess::readyReadStderr, this, &ProcessWorker::handleStderr);
    connect(host, &HostProcess::stdoutClosed, this, &ProcessWorker::handleStdoutClosed);
    connect(host, &HostProcess::finished, this, &ProcessWorker::handleFinished);
    connect(host, &HostProcess::failedToStart, this, &ProcessWorker::handleFailedToStart);
    // Through the bounded start queue: the hello deadline counts from the real start, not from the wait.
    m_startTicket = HostStartQueue::instance().newTicket();
    HostStartQueue::instance().enqueue(m_startTicket, this, [this, exe, arguments, env] {
        m_startedProcess = true;
        m_helloTimer.start(helloTimeoutMs());
        m_process->start(exe, arguments, env);
    });
}

void ProcessWorker::startSettled()
{
    HostStartQueue::instance().done(m_startTicket);
}

void ProcessWorker::cancelQueuedStart()
{
    // Still waiting for its turn: it never starts, like a queued task that is cancelled.
    startSettled();
    m_hostExited = true;
    ProcessTree::instance().hostReaped(m_hostId);
    finishWithoutProcess(Outcome::Cancelled,
        QStringLiteral("stopped while waiting in the host start queue: the host was never started"));
}

void ProcessWorker::handleStarted()
{
    m_pid = m_process->pid();
    m_pgid = m_pid; // setpgid(0, 0) in the child: the host leads its own group
    ProcessTree::instance().hostStarted(m_hostId, m_pid, m_process->pidfd());
    // A stop that came while the host waited for its turn: the request waits in its stdin, a kill goes now.
    if (m_pendingStop) {
        const StopMethod method = *m_pendingStop;
        m_pendingStop.reset();
        if (method == StopMethod::Request)
            doRequestStop();
        else
            doForceKill(method);
    }
    record(EventKind::Note, m_pid,
        QStringLiteral("host pid %1 started in its own process group (%2)")
            .arg(m_pid)
            .arg(m_process->startDescription()));
}

void ProcessWorker::handleFailedToStart(const QString &why)
{
    m_helloTimer.stop();
    startSettled();
    // A fork server that died after forking but before answering leaves a host we never heard of: it is our
    // child with our mark, so the tree adopts it as this host's descendant, and it goes now.
    if (!ProcessTree::instance().hostReaped(m_hostId).isEmpty())
        ProcessTree::instance().killDescendants(m_hostId);
    finishWithoutProcess(Outcome::Failed, QStringLiteral("the worker host failed to start: %1").arg(why));
}

void ProcessWorker::handleStdout()
{
    const QByteArray data = m_process->readAllStdout();
    if (!m_fault.isEmpty())
        return;
    QString error;
    if (!m_lines.feed(data, &error)) {
        fault(error, m_lines.pending());
        return;
    }
    while (auto line = m_lines.takeLine()) {
        handleLine(*line);
        if (!m_fault.isEmpty())
            return;
    }
}

void ProcessWorker::handleStderr()
{
    m_stderr += m_process->readAllStderr();
    if (m_stderr.size() > StderrTailBytes)
        m_stderr = m_stderr.right(StderrTailBytes);
}

void ProcessWorker::handleStdoutClosed()
{
    // Also emitted when the host exits: give finished() a moment before calling it a fault.
    if (!m_bye && !m_hostExited && !m_closedTimer.isActive())
        m_closedTimer.start();
}

void ProcessWorker::handleLine(const QByteArray &line)
{
    QString error;
    const auto message = HostProtocol::decode(line, &error);
    if (!message) {
        fault(error, line);
        return;
    }
    handleMessage(*message, line);
}

void ProcessWorker::handleMessage(const HostMessage &m, const QByteArray &line)
{
    if (m_bye) {
        fault(QStringLiteral("message after bye"), line);
        return;
    }
    if (!m_hello && m.type != HostMessage::Type::Hello) {
        fault(QStringLiteral("message before hello"), line);
        return;
    }
    switch (m.type) {
    case HostMessage::Type::Hello:
        if (m_hello) {
            fault(QStringLiteral("second hello"), line);
            return;
        }
        if (m_pid > 0 && (m.pid != m_pid || m.pgid != m_pgid)) {
            fault(QStringLiteral("hello names pid %1 pgid %2, but the host is pid %3 in group %4")
                      .arg(m.pid)
                      .arg(m.pgid)
                      .arg(m_pid)
                      .arg(m_pgid),
                line);
            return;
        }
        m_hello = true;
        m_helloAtNs = monotonicNowNs();
        m_helloTimer.stop();
        startSettled();
        if (!m_process->reportsStdoutEnd())
            m_closedTimer.start();
        log().recordAt(m.tNs, id(), EventKind::Note, m.pid,
            QStringLiteral("hello: pid %1, pgid %2, protocol %3, clock %4")
                .arg(m.pid)
                .arg(m.pgid)
                .arg(m.protocol)
                .arg(QLatin1String(HostClockName)));
        handleCodeStarted(); // the host runs the workload right after its hello
        break;
    case HostMessage::Type::Event:
        if ((m.kind == EventKind::Resource || m.kind == EventKind::Released) && reclaimedWithProcess(m.detail)) {
            log().recordAt(m.tNs, id(), EventKind::Note, m.value,
                QStringLiteral("in the host: %1 %2 (the OS reclaims it with the process)")
                    .arg(m.kind == EventKind::Resource ? u"acquired" : u"released", m.detail));
            break;
        }
        log().recordAt(m.tNs, id(), m.kind, m.value, m.detail);
        if (m.kind == EventKind::StopObserved) {
            m_stopObserved = true;
            handleStopNoticed();
        }
        break;
    case HostMessage::Type::Progress:
        m_steps = m.steps;
        if (m.tNs - m_lastProgressRecordNs >= ProgressRecordIntervalNs) {
            m_lastProgressRecordNs = m.tNs;
            log().recordAt(m.tNs, id(), EventKind::Progress, m.steps);
        }
        break;
    case HostMessage::Type::Resource:
        if (m.resourceKind == u"process") {
            if (m.acquired && !m_childPids.contains(m.resourceId)) {
                m_childPids << m.resourceId;
                ProcessTree::instance().scheduleRefresh(); // track it by pidfd while its parent still runs
            } else if (!m.acquired)
                m_childPids.removeAll(m.resourceId);
        }
        break;
    case HostMessage::Type::Phase:
        m_phase = m.phase; // sampled, like progress: shown live, not recorded
        break;
    case HostMessage::Type::Bye:
        m_bye = true;
        m_byeOutcome = m.outcome;
        log().recordAt(m.tNs, id(), EventKind::Note, 0, QStringLiteral("bye: %1").arg(toString(m.outcome)));
        break;
    }
}

void ProcessWorker::fault(const QString &why, QByteArrayView input)
{
    if (!m_fault.isEmpty())
        return;
    m_fault = why;
    m_helloTimer.stop();
    startSettled();
    m_closedTimer.stop();
    QString detail = QStringLiteral("protocol fault: %1").arg(why);
    if (!input.isEmpty())
        detail += QStringLiteral("; input: %1").arg(HostProtocol::quote(input));
    record(EventKind::Note, 0, detail);
    // The app carries on: the whole group goes, the reap (handleFinished) ends the worker as failed.
    if (!ProcessTree::instance().signalGroup(m_hostId, SIGKILL) && m_process)
        m_process->kill();
}

void ProcessWorker::doRequestStop()
{
    if (m_process && !m_startedProcess && !m_hostExited) {
        cancelQueuedStart();
        return;
    }
    if (m_process && m_process->isRunning() && m_pid > 0)
        m_process->write(HostProtocol::encodeCommand(HostCommand::Type::Stop));
}

void ProcessWorker::doForceKill(StopMethod method)
{
    if (m_process && !m_startedProcess && !m_hostExited) {
        cancelQueuedStart();
        return;
    }
    if (m_process && m_pid <= 0 && !m_hostExited) {
        m_pendingStop = method; // started, its pid not known yet: sent from handleStarted()
        return;
    }
    if (m_pid <= 0 || m_hostExited)
        return;
    m_signalSent = true;
    if (isPython(spec().backend) && method != StopMethod::ForceGroup) {
        // The Python host carries out its own kills (the seeds' code paths), told on stdin; force-group
        // stays the lab's own SIGKILL to the whole group (host, child, grandchildren).
        const auto command = [method] {
            switch (method) {
            case StopMethod::AsyncExc:
                return HostCommand::Type::AsyncExc;
            case StopMethod::Settrace:
                return HostCommand::Type::Settrace;
            case StopMethod::InterpreterExit:
                return HostCommand::Type::Exit;
            case StopMethod::Sigterm:
                return HostCommand::Type::Terminate;
            default:
                return HostCommand::Type::Kill;
            }
        }();
        if (m_process && m_process->isRunning() && m_pid > 0)
            m_process->write(HostProtocol::encodeCommand(command));
        return;
    }
    // Through the host's pidfd, and to its group only while it is unreaped (ProcessTree).
    ProcessTree &tree = ProcessTree::instance();
    bool sent = false;
    switch (method) {
    case StopMethod::Sigterm:
        sent = tree.signalHost(m_hostId, SIGTERM);
        break;
    case StopMethod::ForceGroup:
        sent = tree.signalGroup(m_hostId, SIGKILL);
        break;
    default:
        sent = tree.signalHost(m_hostId, SIGKILL);
        break;
    }
    if (sent)
        return;
    // The tree refused: it does not know the host (or the host is gone). Said in the log, never silent; a kill
    // still reaches a host that is unreaped, hence still ours, through its QProcess or fork-server handle.
    const bool lastResort = method != StopMethod::Sigterm && m_process && m_process->isRunning();
    record(EventKind::Note, m_pid,
        QStringLiteral("%1 to host pid %2 not sent by the process tree (%3)%4")
            .arg(method == StopMethod::Sigterm ? u"SIGTERM"_qs : u"SIGKILL"_qs)
            .arg(m_pid)
            .arg(tree.describeHost(m_hostId))
            .arg(lastResort ? u"; SIGKILL sent to the host alone, as a last resort"_qs : QString()));
    if (lastResort)
        m_process->kill();
}

QList<StopMethod> ProcessWorker::escalationSteps() const
{
    switch (spec().backend) {
    case Backend::Python:
        return { StopMethod::AsyncExc };
    case Backend::PythonProcess:
        return { StopMethod::Sigterm, StopMethod::Force };
    default:
        return { StopMethod::Sigterm, StopMethod::ForceGroup };
    }
}

void ProcessWorker::doPause()
{
    if (m_pgid > 1 && !m_hostExited && ProcessTree::instance().signalGroup(m_hostId, SIGSTOP)) {
        record(EventKind::Paused, SIGSTOP, QStringLiteral("SIGSTOP to the process group"));
        setState(WorkerState::Paused);
    }
}

void ProcessWorker::doResume()
{
    if (m_pgid > 1 && !m_hostExited && ProcessTree::instance().signalGroup(m_hostId, SIGCONT)) {
        record(EventKind::Resumed, SIGCONT, QStringLiteral("SIGCONT to the process group"));
        if (state() == WorkerState::Paused)
            setState(WorkerState::Running);
    }
}

void ProcessWorker::handleFinished(int exitCode, bool signalled)
{
    sendPendingRequest(); // asked before the host's end was known: recorded before its exit
    m_reapedAtNs = monotonicNowNs();
    startSettled();
    // Drain what the host wrote before it died.
    handleStdout();
    handleStderr();
    m_hostExited = true;
    m_helloTimer.stop();
    m_closedTimer.stop();
    cpuTimeNs();

    Outcome outcome = Outcome::Failed;
    if (signalled) {
        m_exitSignal = exitCode;
        const bool ours = m_signalSent && (exitCode == SIGKILL || exitCode == SIGTERM);
        outcome = ours ? Outcome::Killed : Outcome::Crashed;
    } else {
        m_exitCode = exitCode;
        if (m_bye) // a host that failed says so in its bye and exits non-zero: keep failed
            outcome = exitCode == 0 || m_byeOutcome == Outcome::Failed ? m_byeOutcome : Outcome::Crashed;
        else
            outcome = exitCode == 0 ? Outcome::Failed : Outcome::Crashed;
    }
    if (!m_fault.isEmpty())
        outcome = Outcome::Failed;
    else if (!m_bye && outcome == Outcome::Failed)
        record(EventKind::Note, 0, QStringLiteral("the host exited without bye"));
    record(EventKind::Exited, m_exitSignal.value_or(m_exitCode.value_or(0)), exitDescription());

    m_reaped = true;
    // Every descendant still running, in the host's group or escaped from it with setsid(): the tree knows them
    // by pidfd (found under the host, or re-parented to the app and marked as this host's).
    m_orphans = ProcessTree::instance().hostReaped(m_hostId);
    if (!m_orphans.isEmpty()) {
        QStringList pids;
        for (qint64 pid : std::as_const(m_orphans)) {
            pids << QString::number(pid);
            if (!m_childPids.contains(pid)) // undeclared: declare it so the leak ledger probes it too
                record(EventKind::Resource, pid, QStringLiteral("process orphan %1 of host %2").arg(pid).arg(m_pid));
        }
        record(EventKind::Note, m_orphans.size(),
            QStringLiteral("orphans of host %1 still running: %2").arg(m_pid).arg(pids.join(u' ')));
    }
    handleEnded(outcome);
    if (!m_orphans.isEmpty())
        emit orphansFound(id(), m_orphans);
}

} // namespace threadlab
