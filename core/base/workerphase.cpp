// The phase and kernel-state words, defined once (CLI, JSON, GUI, docs and the code excerpts' markers).
#include "workerphase.h"

namespace threadlab {

const QList<Term<WorkerPhase>> &phaseTerms()
{
    static const QList<Term<WorkerPhase>> terms = {
        { WorkerPhase::None, "none", "not published yet (not started, or not measured)" },
        { WorkerPhase::Checking, "checking", "checking the stop flag" },
        { WorkerPhase::Working, "working", "working a step (busy on the CPU)" },
        { WorkerPhase::Sleeping, "sleeping", "sleeping between steps" },
        { WorkerPhase::WaitingForLock, "waiting-lock", "waiting for the lab mutex" },
        { WorkerPhase::InsideLock, "inside-lock", "holding the lab mutex, working inside it" },
        { WorkerPhase::Blocked, "blocked", "blocked in a wait (condition, pipe, socket, sleep)" },
        { WorkerPhase::CleaningUp, "cleaning-up", "noticed the stop and is cleaning up" },
        { WorkerPhase::Finished, "finished", "its code has returned" },
    };
    return terms;
}

const QList<Term<KernelState>> &kernelStateTerms()
{
    static const QList<Term<KernelState>> terms = {
        { KernelState::Unknown, "unknown", "not sampled (not our thread, or it is gone)" },
        { KernelState::Running, "running", "R: running or runnable on a CPU" },
        { KernelState::Sleeping, "sleeping", "S: interruptible sleep (a wait, a sleep, a futex)" },
        { KernelState::Uninterruptible, "uninterruptible", "D: uninterruptible sleep (usually disk I/O)" },
        { KernelState::Zombie, "zombie", "Z: exited, not yet reaped" },
        { KernelState::Stopped, "stopped", "T: stopped by a signal or a tracer" },
    };
    return terms;
}

namespace {
template <typename E> QString nameIn(const QList<Term<E>> &terms, E v)
{
    for (const auto &t : terms)
        if (t.value == v)
            return QString::fromLatin1(t.name);
    return {};
}
template <typename E> QString descriptionIn(const QList<Term<E>> &terms, E v)
{
    for (const auto &t : terms)
        if (t.value == v)
            return QString::fromLatin1(t.description);
    return {};
}
} // namespace

QString toString(WorkerPhase v)
{
    return nameIn(phaseTerms(), v);
}

QString describe(WorkerPhase v)
{
    return descriptionIn(phaseTerms(), v);
}

std::optional<WorkerPhase> phaseFromString(QStringView s)
{
    for (const auto &t : phaseTerms())
        if (s == QLatin1StringView(t.name))
            return t.value;
    return std::nullopt;
}

QString toString(KernelState v)
{
    return nameIn(kernelStateTerms(), v);
}

QString describe(KernelState v)
{
    return descriptionIn(kernelStateTerms(), v);
}

KernelState kernelStateFromLetter(char letter)
{
    switch (letter) {
    case 'R':
        return KernelState::Running;
    case 'S':
    case 'I':
        return KernelState::Sleeping;
    case 'D':
        return KernelState::Uninterruptible;
    case 'Z':
    case 'X':
        return KernelState::Zombie;
    case 'T':
    case 't':
        return KernelState::Stopped;
    default:
        return KernelState::Unknown;
    }
}

char letterOf(KernelState v)
{
    switch (v) {
    case KernelState::Running:
        return 'R';
    case KernelState::Sleeping:
        return 'S';
    case KernelState::Uninterruptible:
        return 'D';
    case KernelState::Zombie:
        return 'Z';
    case KernelState::Stopped:
        return 'T';
    case KernelState::Unknown:
        break;
    }
    return '?';
}

} // namespace threadlab
