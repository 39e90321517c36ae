// Whether a worker's thread yields the CPU to the app's window: SCHED_IDLE on the worker's own thread.
#pragma once

#include <QtGlobal>

namespace threadlab {

/// Linux's SCHED_IDLE (what Qt's QThread::IdlePriority sets): the thread runs only when no normal thread of its
/// scheduling group wants the CPU, and a waking normal thread preempts it at once. With 500 busy workers on two
/// cores the window's thread would otherwise get a 1/500 share and stall for hundreds of milliseconds; with it, the
/// event loop stays on time. The workers' latencies change only while the window itself needs the CPU.
/// Called on the worker's thread as its code starts: yield true sets SCHED_IDLE; false returns a thread that has
/// it (a pool thread from an earlier setting) to SCHED_OTHER where the kernel allows (RLIMIT_NICE; otherwise it
/// stays idle). Threads the worker starts itself inherit the policy.
void applyWorkerThreadPolicy(bool yield);

/// The scheduling policy of a thread of this process (SCHED_OTHER, SCHED_IDLE...), or -1 if it cannot be read.
int threadSchedPolicy(qint64 tid);

} // namespace threadlab
