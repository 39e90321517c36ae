// The user-visible words of ThreadLab, defined once and shared by the CLI, the JSON, the GUI and the docs.
#include "vocabulary.h"

namespace threadlab {

const QList<Term<Backend>> &backendTerms()
{
    static const QList<Term<Backend>> terms = {
        { Backend::Thread, "thread",
            "QThread subclass running the workload in run(); stopped by requestInterruption()" },
        { Backend::EventLoop, "eventloop",
            "worker QObject moved to a QThread with an event loop; stopped by requestInterruption() + quit()" },
        { Backend::Concurrent, "concurrent",
            "QtConcurrent::run with QPromise on ThreadLab's own QThreadPool; stopped by QFuture::cancel()" },
        { Backend::JThread, "jthread", "C++20 std::jthread; stopped by request_stop() on its std::stop_token" },
        { Backend::Process, "process",
            "threadlab-worker host process started by QProcess in its own process group; stopped by a stdin command "
            "or signals" },
        { Backend::Python, "python",
            "threading.Thread in a CPython host process (threadlab-pyhost.py); stopped by Event.set(), an async "
            "SystemExit or a settrace kill flag" },
        { Backend::PythonProcess, "python-process",
            "multiprocessing.Process started by the CPython host; stopped by a multiprocessing.Event, terminate() or "
            "kill()" },
    };
    return terms;
}

const QList<Term<StopMethod>> &stopMethodTerms()
{
    static const QList<Term<StopMethod>> terms = {
        { StopMethod::Request, "request",
            "cooperative: ask the worker to stop (requestInterruption, quit, cancel, request_stop, stdin 'stop', "
            "Python Event.set())" },
        { StopMethod::Force, "force",
            "force-kill: SIGKILL for a process, Process.kill() for python-process; for threads ThreadLab's safe "
            "terminate: QThread::terminate() (a deferred pthread_cancel) that can land only at the lab's cancellation "
            "points, a cancel still pending when the code returns neutralised (Qt's plain terminate would abort the "
            "process then)" },
        { StopMethod::Escalate, "escalate",
            "ask, wait the grace period, then force, then wait the kill timeout (as systemd and Kubernetes do); "
            "python: then async-exc; python-process: then terminate(), then kill()" },
        { StopMethod::Sigterm, "sigterm",
            "send SIGTERM to the worker host (it turns it into a graceful stop); python-process: Process.terminate()" },
        { StopMethod::ForceGroup, "force-group", "SIGKILL to the worker host's whole process group" },
        { StopMethod::AsyncExc, "async-exc",
            "python: PyThreadState_SetAsyncExc(tid, SystemExit) raises in the thread between bytecodes (param "
            "repeat_ms re-raises until the thread is gone)" },
        { StopMethod::Settrace, "settrace",
            "python: the KThread kill flag, read by a sys.settrace trace function that raises SystemExit at the "
            "next line (the thread must run with trace=true)" },
        { StopMethod::InterpreterExit, "interpreter-exit",
            "python: the host's main thread returns and the interpreter exits: non-daemon threads are waited for, "
            "daemon threads are abandoned without running their finally" },
    };
    return terms;
}

const QList<Term<WorkerState>> &stateTerms()
{
    static const QList<Term<WorkerState>> terms = {
        { WorkerState::Created, "created", "made, not started yet" },
        { WorkerState::Starting, "starting", "start requested, not yet running" },
        { WorkerState::Running, "running", "doing its work" },
        { WorkerState::Paused, "paused", "suspended at a check (concurrent only)" },
        { WorkerState::Stopping, "stopping", "a stop was requested and not yet noticed" },
        { WorkerState::CleaningUp, "cleaning-up", "noticed the stop and is cleaning up" },
        { WorkerState::Unresponsive, "unresponsive", "past its stop or kill deadline and still running" },
        { WorkerState::Finished, "finished", "its code has ended; see the outcome" },
    };
    return terms;
}

const QList<Term<Outcome>> &outcomeTerms()
{
    static const QList<Term<Outcome>> terms = {
        { Outcome::None, "none", "no outcome yet" },
        { Outcome::Completed, "completed", "finished its work before any stop" },
        { Outcome::Stopped, "stopped", "honoured a stop and cleaned up" },
        { Outcome::Ignored, "ignored", "a stop was requested; the code never observed it and returned on its own" },
        { Outcome::Cancelled, "cancelled", "never ran: a queued task was cancelled" },
        { Outcome::Killed, "killed", "a force-kill took effect" },
        { Outcome::Unresponsive, "unresponsive",
            "still running at the end of the run, past the stop or kill deadline" },
        { Outcome::Crashed, "crashed", "died by a signal or an abnormal exit" },
        { Outcome::Failed, "failed", "could not start, or an error" },
    };
    return terms;
}

const QList<Term<EventKind>> &eventKindTerms()
{
    static const QList<Term<EventKind>> terms = {
        { EventKind::Created, "created", "the worker was made" },
        { EventKind::StartRequested, "start-requested", "the owner asked it to start" },
        { EventKind::Started, "started", "its code began to run" },
        { EventKind::FirstStep, "first-step", "it finished its first unit of work" },
        { EventKind::StopRequested, "stop-requested", "the owner asked it to stop" },
        { EventKind::StopObserved, "stop-observed", "the worker noticed the stop" },
        { EventKind::CleanupBegin, "cleanup-begin", "clean-up began" },
        { EventKind::CleanupEnd, "cleanup-end", "clean-up ended" },
        { EventKind::Exited, "exited", "the worker's code returned or unwound" },
        { EventKind::Joined, "joined", "the owner knows it is over" },
        { EventKind::KillSent, "kill-sent", "a force-kill was sent" },
        { EventKind::KillTimeout, "kill-timeout",
            "a kill was sent and its deadline passed with the worker still running" },
        { EventKind::GraceExpired, "grace-expired",
            "a stop request's grace period passed with the worker still running" },
        { EventKind::Paused, "paused", "the worker suspended itself" },
        { EventKind::Resumed, "resumed", "the worker resumed" },
        { EventKind::Progress, "progress", "steps done so far" },
        { EventKind::Resource, "resource", "the worker acquired a resource" },
        { EventKind::Released, "released", "the worker released a resource" },
        { EventKind::Leak, "leak", "a resource was found still held after the worker ended" },
        { EventKind::Note, "note", "a remark" },
        { EventKind::Outcome, "outcome", "the final outcome was decided" },
        { EventKind::KernelState, "kernel-state",
            "the kernel's state of the worker's thread changed (sampled from /proc/<pid>/task/<tid>/stat; value: "
            "the state letter R, S, D, Z or T)" },
    };
    return terms;
}

const QList<Term<OutcomeClass>> &outcomeClassTerms()
{
    static const QList<Term<OutcomeClass>> terms = {
        { OutcomeClass::Pending, "pending", "no outcome yet" },
        { OutcomeClass::Completed, "completed", "finished its work before any stop" },
        { OutcomeClass::Stopped, "stopped", "honoured the stop (or never ran)" },
        { OutcomeClass::Killed, "killed", "ended by a kill" },
        { OutcomeClass::Ignored, "ignored", "never observed the stop and ended by itself" },
        { OutcomeClass::NeverStopped, "never-stopped", "still running at the end of the run" },
        { OutcomeClass::Crashed, "crashed", "crashed or failed" },
    };
    return terms;
}

const QList<Term<RefusalReason>> &refusalReasonTerms()
{
    static const QList<Term<RefusalReason>> terms = {
        { RefusalReason::NotStarted, "not-started", "the worker has not been started" },
        { RefusalReason::AlreadyEnded, "already-ended", "the worker has already finished" },
        { RefusalReason::NeedsProcess, "needs-process",
            "the method signals a process; this backend runs inside the app's own process" },
        { RefusalReason::NoForce, "no-force", "this backend has no force-kill" },
        { RefusalReason::PauseUnsupported, "no-pause", "this backend cannot pause" },
        { RefusalReason::NotRunning, "not-running", "the worker is not running" },
        { RefusalReason::Unsupported, "unsupported", "this backend does not offer this stop method" },
    };
    return terms;
}

const QList<BackendCapabilities> &backendCapabilities()
{
    using M = StopMethod;
    static const QList<BackendCapabilities> table = {
        { Backend::Thread, { M::Request, M::Force, M::Escalate }, false, "",
            "QThread has no safe suspension from outside; only concurrent (QFuture::suspend()) and process "
            "(SIGSTOP) workers pause" },
        { Backend::EventLoop, { M::Request, M::Force, M::Escalate }, false, "",
            "QThread has no safe suspension from outside; only concurrent (QFuture::suspend()) and process "
            "(SIGSTOP) workers pause" },
        { Backend::Concurrent, { M::Request }, true,
            "pooled threads are shared and cannot be killed; QFuture::cancel() only asks", "" },
        { Backend::JThread, { M::Request }, false, "std::thread has no kill; request_stop() only asks",
            "std::jthread has no suspension; only concurrent (QFuture::suspend()) and process (SIGSTOP) "
            "workers pause" },
        { Backend::Process, { M::Request, M::Force, M::Escalate, M::Sigterm, M::ForceGroup }, true, "", "" },
        { Backend::Python, { M::Request, M::Escalate, M::ForceGroup, M::AsyncExc, M::Settrace, M::InterpreterExit },
            false, "a Python thread has no kill; async-exc and settrace raise SystemExit inside it between bytecodes",
            "a Python thread cannot be suspended from outside; only concurrent (QFuture::suspend()) and process "
            "(SIGSTOP) workers pause" },
        { Backend::PythonProcess, { M::Request, M::Force, M::Escalate, M::Sigterm, M::ForceGroup }, false, "",
            "the multiprocessing child is not paused by the lab; only concurrent and process workers pause" },
    };
    return table;
}

const BackendCapabilities &capabilitiesOf(Backend backend)
{
    for (const BackendCapabilities &c : backendCapabilities())
        if (c.backend == backend)
            return c;
    return backendCapabilities().constFirst();
}

bool supports(Backend backend, StopMethod method)
{
    return capabilitiesOf(backend).stopMethods.contains(method);
}

std::optional<Refusal> backendRefusal(Backend backend, StopMethod method)
{
    if (supports(backend, method))
        return std::nullopt;
    const bool signalsProcess = method == StopMethod::Sigterm || method == StopMethod::ForceGroup;
    if (signalsProcess && isInProcess(backend))
        return Refusal { RefusalReason::NeedsProcess, backend, method };
    const bool forceLike = method == StopMethod::Force || method == StopMethod::Escalate;
    if (forceLike && *capabilitiesOf(backend).noForceWhy)
        return Refusal { RefusalReason::NoForce, backend, method };
    return Refusal { RefusalReason::Unsupported, backend, method };
}

std::optional<Refusal> pauseRefusal(Backend backend)
{
    if (capabilitiesOf(backend).pause)
        return std::nullopt;
    return Refusal { RefusalReason::PauseUnsupported, backend, std::nullopt };
}

namespace {

template <typename E> const Term<E> *find(const QList<Term<E>> &terms, E v)
{
    for (const auto &t : terms)
        if (t.value == v)
            return &t;
    return nullptr;
}

template <typename E> std::optional<E> parse(const QList<Term<E>> &terms, QStringView s)
{
    for (const auto &t : terms)
        if (s == QLatin1String(t.name))
            return t.value;
    return std::nullopt;
}

template <typename E> QString nameOf(const QList<Term<E>> &terms, E v)
{
    const auto *t = find(terms, v);
    return t ? QString::fromLatin1(t->name) : QString();
}

template <typename E> QString descriptionOf(const QList<Term<E>> &terms, E v)
{
    const auto *t = find(terms, v);
    return t ? QString::fromUtf8(t->description) : QString();
}

} // namespace

QString toString(Backend v)
{
    return nameOf(backendTerms(), v);
}
QString toString(StopMethod v)
{
    return nameOf(stopMethodTerms(), v);
}
QString toString(WorkerState v)
{
    return nameOf(stateTerms(), v);
}
QString toString(Outcome v)
{
    return nameOf(outcomeTerms(), v);
}
QString toString(EventKind v)
{
    return nameOf(eventKindTerms(), v);
}
QString toString(OutcomeClass v)
{
    return nameOf(outcomeClassTerms(), v);
}

QString toString(RefusalReason v)
{
    return nameOf(refusalReasonTerms(), v);
}

QString describe(Backend v)
{
    return descriptionOf(backendTerms(), v);
}
QString describe(StopMethod v)
{
    return descriptionOf(stopMethodTerms(), v);
}
QString describe(WorkerState v)
{
    return descriptionOf(stateTerms(), v);
}
QString describe(Outcome v)
{
    return descriptionOf(outcomeTerms(), v);
}
QString describe(OutcomeClass v)
{
    return descriptionOf(outcomeClassTerms(), v);
}

QString describe(RefusalReason v)
{
    return descriptionOf(refusalReasonTerms(), v);
}

QString describe(const Refusal &r)
{
    const QString backend = toString(r.backend);
    const QString method = r.method ? toString(*r.method) : QStringLiteral("pause");
    switch (r.reason) {
    case RefusalReason::NeedsProcess:
        return QStringLiteral("%1 signals a process; %2 workers run inside the app's own process").arg(method, backend);
    case RefusalReason::NoForce: {
        const QString why = QStringLiteral("force is not available for %1: %2")
                                .arg(backend, QString::fromUtf8(capabilitiesOf(r.backend).noForceWhy));
        return r.method == StopMethod::Escalate ? QStringLiteral("escalate needs force; ") + why : why;
    }
    case RefusalReason::PauseUnsupported:
        return QStringLiteral("pause is not available for %1: %2")
            .arg(backend, QString::fromUtf8(capabilitiesOf(r.backend).noPauseWhy));
    case RefusalReason::Unsupported: {
        QStringList offered;
        for (StopMethod m : capabilitiesOf(r.backend).stopMethods)
            offered << toString(m);
        return QStringLiteral("%1 is not available for %2 (allowed: %3)").arg(method, backend, offered.join(u", "));
    }
    case RefusalReason::NotStarted:
    case RefusalReason::AlreadyEnded:
    case RefusalReason::NotRunning:
        break;
    }
    return describe(r.reason);
}

std::optional<Backend> backendFromString(QStringView s)
{
    return parse(backendTerms(), s);
}
std::optional<StopMethod> stopMethodFromString(QStringView s)
{
    return parse(stopMethodTerms(), s);
}
std::optional<WorkerState> stateFromString(QStringView s)
{
    return parse(stateTerms(), s);
}
std::optional<Outcome> outcomeFromString(QStringView s)
{
    return parse(outcomeTerms(), s);
}
std::optional<EventKind> eventKindFromString(QStringView s)
{
    return parse(eventKindTerms(), s);
}
std::optional<OutcomeClass> outcomeClassFromString(QStringView s)
{
    return parse(outcomeClassTerms(), s);
}

std::optional<RefusalReason> refusalReasonFromString(QStringView s)
{
    return parse(refusalReasonTerms(), s);
}

bool isInProcess(Backend b)
{
    return b != Backend::Process && !isPython(b);
}

bool isPython(Backend b)
{
    return b == Backend::Python || b == Backend::PythonProcess;
}

QString toString(ResourceKind kind)
{
    switch (kind) {
    case ResourceKind::Lock:
        return QStringLiteral("lock");
    case ResourceKind::Fd:
        return QStringLiteral("fd");
    case ResourceKind::File:
        return QStringLiteral("file");
    case ResourceKind::Thread:
        return QStringLiteral("thread");
    case ResourceKind::Memory:
        return QStringLiteral("memory");
    case ResourceKind::Process:
        return QStringLiteral("process");
    }
    return QStringLiteral("unknown");
}

} // namespace threadlab
