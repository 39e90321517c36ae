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
    };
    return terms;
}

const QList<Term<StopMethod>> &stopMethodTerms()
{
    static const QList<Term<StopMethod>> terms = {
        { StopMethod::Request, "request",
            "cooperative: ask the worker to stop (requestInterruption, quit, cancel, request_stop, stdin 'stop')" },
        { StopMethod::Force, "force",
            "force-kill: QThread::terminate() (a deferred pthread_cancel) for threads, SIGKILL for a process" },
        { StopMethod::Escalate, "escalate",
            "ask, wait the grace period, then force, then wait the kill timeout (as systemd and Kubernetes do)" },
        { StopMethod::Sigterm, "sigterm", "send SIGTERM to the worker host; it turns it into a graceful stop" },
        { StopMethod::ForceGroup, "force-group", "SIGKILL to the worker host's whole process group" },
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

bool isInProcess(Backend b)
{
    return b != Backend::Process;
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
