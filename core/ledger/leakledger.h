// Probes what a finished worker left behind against the real system (locks, fds, files, threads, memory).
#pragma once

#include "base/event.h"
#include "base/leak.h"

#include <functional>

namespace threadlab {

class LabResources;

/// A worker host's note "host-proven leak: <kind>: <what>" reports a leak it probed itself (a Python host's
/// lock, which the app cannot reach); the ledger reports it like its own probes.
extern const char HostProvenLeakPrefix[];

/// For each resource the worker declared (Resource events), probes the system, not the bookkeeping:
/// a lock by a failing tryLock, an fd by /proc/self/fd, a file by the file on disk, a thread by
/// /proc/self/task/<tid>, memory by /proc/self/maps, a process by /proc/<pid>. May block up to
/// lockProbeMs (call it off the GUI thread).
class LeakLedger
{
public:
    /// Files are looked at only inside fileDir (empty: the lab's directory; a process worker's: its host's
    /// directory); a file named elsewhere is reported as outside and never opened.
    static LeakList probe(
        const EventList &workerEvents, const LabResources &lab, int lockProbeMs = 200, const QString &fileDir = {});

    /// What the process layer knows and this one cannot: whether a process is dying (a SIGKILL taken, pending, or
    /// sent to its whole group). Set once by ProcessTree; a dying process is not an orphan. Main thread only.
    static void setDyingCheck(std::function<bool(qint64 pid)> check);
};

} // namespace threadlab
