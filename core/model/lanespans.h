// Spans beside a worker's states, read from its fold's marks: the lab mutex (held, waited for) and the orphans it left.
#pragma once

#include "workerfold.h"

#include <QList>
#include <QStringView>

namespace threadlab {

/// One span of a worker on the lab mutex. endNs < 0 while still open.
struct LockSpan
{
    qint64 beginNs = 0;
    qint64 endNs = -1;
    bool waiting = false; ///< waiting for the mutex; else holding it

    bool isOpen() const { return endNs < 0; }
    /// The span covers time t (an open span reaches to now).
    bool covers(qint64 t) const { return t >= beginNs && (endNs < 0 || t <= endNs); }
    bool operator==(const LockSpan &) const = default;
};

using LockSpanList = QList<LockSpan>;

/// The notes a lock-holder records (Note events; core/workloads/lockholder.cpp writes the same words).
namespace LabMutexNote {
inline constexpr QStringView Waiting = u"waiting for the lab mutex";
inline constexpr QStringView WaitOver = u"lock wait over";
inline constexpr QStringView Acquired = u"lock acquired";
inline constexpr QStringView Released = u"lock released";
} // namespace LabMutexNote

/// The worker's spans on the lab mutex, in time order, from the fold's marks (every view reads them from here).
/// A span still open when the code ended closes there: a lock it never released is a leak, reported as such.
LockSpanList lockSpansOf(const WorkerFold &fold);

/// A process a worker left running after it ended (an orphan of its process group), from its spawn (the declared
/// resource) or, if undeclared, from when it was found, until the lab killed it (endNs < 0: still running).
struct OrphanSpan
{
    qint64 pid = 0;
    qint64 beginNs = 0;
    qint64 endNs = -1;
    bool operator==(const OrphanSpan &) const = default;
};

/// The notes a process worker records about its orphans (core/process/processworker.cpp writes the same words).
namespace OrphanNote {
inline constexpr QStringView Found = u"orphans still in process group";
inline constexpr QStringView Killed = u"orphan(s) of process group";
} // namespace OrphanNote

/// The orphans of a worker, in the order they were found.
QList<OrphanSpan> orphanSpansOf(const WorkerFold &fold);

} // namespace threadlab
