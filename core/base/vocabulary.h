// The user-visible words of ThreadLab (backends, stop methods, states, outcomes, event kinds), defined once.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace threadlab {

/// How a worker is run.
/// Python and PythonProcess run in the Python worker host (threadlab-pyhost.py), a process like Process.
enum class Backend { Thread, EventLoop, Concurrent, JThread, Process, Python, PythonProcess };

/// How a worker is asked or forced to stop.
/// AsyncExc, Settrace and InterpreterExit are the Python host's kills (backend python).
enum class StopMethod { Request, Force, Escalate, Sigterm, ForceGroup, AsyncExc, Settrace, InterpreterExit };

/// Live state of a worker; Finished only once its code has ended (see the outcome).
/// Unresponsive: past its stop or kill deadline and still running (never shown as finished while it runs).
enum class WorkerState { Created, Starting, Running, Paused, Stopping, CleaningUp, Unresponsive, Finished };

/// Final result of a worker.
/// Ignored: a stop was requested, the code never observed it and returned on its own.
/// Unresponsive: the code was still running when the run ended (a worker that ends later gets its real outcome).
enum class Outcome { None, Completed, Stopped, Ignored, Cancelled, Killed, Unresponsive, Crashed, Failed };

/// What a stop achieved, one word per class: how the matrix colours a cell and how lessons group outcomes.
enum class OutcomeClass { Pending, Completed, Stopped, Killed, Ignored, NeverStopped, Crashed };

/// Kinds of resource a workload declares, so the leak ledger can probe them against the system.
enum class ResourceKind { Lock, Fd, File, Thread, Memory, Process };

/// What an event on the timeline says happened.
enum class EventKind {
    Created,
    StartRequested,
    Started,
    FirstStep,
    StopRequested,
    StopObserved,
    CleanupBegin,
    CleanupEnd,
    Exited,
    Joined,
    KillSent,
    KillTimeout,
    GraceExpired,
    Paused,
    Resumed,
    Progress,
    Resource,
    Released,
    Leak,
    Note,
    Outcome,
    KernelState, ///< the kernel's state of the worker's thread changed (value: 'R', 'S', 'D', 'Z', 'T')
};

/// Why a worker refuses a stop method or pause right now (a value; describe() words it neutrally).
enum class RefusalReason {
    NotStarted, ///< the worker has not been started
    AlreadyEnded, ///< its code has ended (or its outcome is final)
    NeedsProcess, ///< the method signals a process and the backend runs in the app's own process
    NoForce, ///< the backend has no force-kill (force, and escalate which needs force)
    PauseUnsupported, ///< the backend cannot pause
    NotRunning, ///< pause or resume while the worker is not running
    Unsupported, ///< the backend does not offer this method at all (describe() lists what it offers)
};

/// A refusal: the reason, the backend it concerns and what was refused (no method: pause or resume).
struct Refusal
{
    RefusalReason reason = RefusalReason::NotStarted;
    Backend backend = Backend::Thread;
    std::optional<StopMethod> method;

    bool operator==(const Refusal &) const = default;
};

/// What one backend can do: its stop methods, whether it can pause, and why not where it cannot.
/// The one table of capabilities: the engine refuses from it, the front ends list from it.
struct BackendCapabilities
{
    Backend backend;
    QList<StopMethod> stopMethods; ///< the methods it offers, in the vocabulary's order
    bool pause;
    const char *noForceWhy; ///< why there is no force-kill (empty where there is one)
    const char *noPauseWhy; ///< why there is no pause (empty where there is one)
};

/// One word of the vocabulary: its enum value, its spelling and a one-line description.
template <typename E> struct Term
{
    E value;
    const char *name;
    const char *description;
};

const QList<Term<Backend>> &backendTerms();
const QList<Term<StopMethod>> &stopMethodTerms();
const QList<Term<WorkerState>> &stateTerms();
const QList<Term<Outcome>> &outcomeTerms();
const QList<Term<EventKind>> &eventKindTerms();
const QList<Term<OutcomeClass>> &outcomeClassTerms();
const QList<Term<RefusalReason>> &refusalReasonTerms();

/// The capabilities of every backend, one row each in the order of backendTerms().
const QList<BackendCapabilities> &backendCapabilities();
const BackendCapabilities &capabilitiesOf(Backend backend);
/// The backend offers this stop method.
bool supports(Backend backend, StopMethod method);
/// Why the backend refuses the method whatever the worker's state (empty: it offers it).
std::optional<Refusal> backendRefusal(Backend backend, StopMethod method);
/// Why the backend cannot pause at all (empty: it can).
std::optional<Refusal> pauseRefusal(Backend backend);

QString toString(Backend v);
QString toString(StopMethod v);
QString toString(WorkerState v);
QString toString(Outcome v);
QString toString(EventKind v);
QString toString(ResourceKind v);
QString toString(OutcomeClass v);
QString toString(RefusalReason v);

QString describe(Backend v);
QString describe(StopMethod v);
QString describe(WorkerState v);
QString describe(Outcome v);
QString describe(OutcomeClass v);
QString describe(RefusalReason v);
/// One neutral line saying why (no front-end hint: a front end words its own advice).
QString describe(const Refusal &refusal);

std::optional<Backend> backendFromString(QStringView s);
std::optional<StopMethod> stopMethodFromString(QStringView s);
std::optional<WorkerState> stateFromString(QStringView s);
std::optional<Outcome> outcomeFromString(QStringView s);
std::optional<EventKind> eventKindFromString(QStringView s);
std::optional<OutcomeClass> outcomeClassFromString(QStringView s);
std::optional<RefusalReason> refusalReasonFromString(QStringView s);

/// All spellings of a vocabulary, for "allowed: a, b, c" messages.
template <typename E> QStringList allNames(const QList<Term<E>> &terms)
{
    QStringList out;
    for (const auto &t : terms)
        out << QString::fromLatin1(t.name);
    return out;
}

/// The in-process backends (everything but the host-process backends Process, Python and PythonProcess).
bool isInProcess(Backend b);
/// The backends run by the Python worker host (python, python-process).
bool isPython(Backend b);

} // namespace threadlab
