// The words for where a worker's code is now (its phase) and what the kernel says its thread is doing.
#pragma once

#include "vocabulary.h"

namespace threadlab {

/// Where a workload's code is right now, published by the workload itself (StopContext::setPhase, an atomic
/// read at frame rate; worker hosts send a "phase" line when it changes). The code panel highlights the
/// excerpt line marked with the same word. None: not published yet (not started, or a recording).
enum class WorkerPhase { None, Checking, Working, Sleeping, WaitingForLock, InsideLock, Blocked, CleaningUp, Finished };

/// A thread's state as the kernel reports it in /proc/<pid>/task/<tid>/stat (field 3).
enum class KernelState { Unknown, Running, Sleeping, Uninterruptible, Zombie, Stopped };

const QList<Term<WorkerPhase>> &phaseTerms();
const QList<Term<KernelState>> &kernelStateTerms();

QString toString(WorkerPhase v);
QString describe(WorkerPhase v);
std::optional<WorkerPhase> phaseFromString(QStringView s);

QString toString(KernelState v);
QString describe(KernelState v);
/// The state for the letter of /proc/.../stat ('R', 'S', 'D', 'Z', 'T'; 't' traced and 'I' idle map to
/// Stopped and Sleeping; 'X' dead to Zombie); Unknown for anything else.
KernelState kernelStateFromLetter(char letter);
/// The letter recorded as a kernel-state event's value ('R', 'S', 'D', 'Z', 'T'; '?' for Unknown).
char letterOf(KernelState v);

} // namespace threadlab
