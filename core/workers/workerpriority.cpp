// SCHED_IDLE for a worker's thread when the lab yields to the window.
#include "workerpriority.h"

#include <sched.h>

namespace threadlab {

void applyWorkerThreadPolicy(bool yield)
{
    // pid 0 is the calling thread: the policy is per thread on Linux.
    const int wanted = yield ? SCHED_IDLE : SCHED_OTHER;
    if (::sched_getscheduler(0) == wanted)
        return;
    const sched_param param {};
    ::sched_setscheduler(0, wanted, &param); // EPERM leaving SCHED_IDLE without RLIMIT_NICE: stays idle
}

int threadSchedPolicy(qint64 tid)
{
    return ::sched_getscheduler(pid_t(tid));
}

} // namespace threadlab
