// What a worker is and what was sampled of it: the one snapshot type of a worker, live or recorded.
#pragma once

#include "leak.h"
#include "params.h"
#include "vocabulary.h"
#include "workerphase.h"

#include <QList>
#include <QString>

namespace threadlab {

/// A worker's identity and its sampled figures. Its life (state, spans, latencies, outcome) is never stored
/// here: it is folded from its events by WorkerFold (model/workerfold.h), so every view tells the same story.
struct WorkerSnapshot
{
    int id = 0; ///< the worker id of its events
    QString name;
    Backend backend = Backend::Thread;
    QString workload;
    Params params;
    qint64 stepsDone = 0; ///< sampled: steps done so far
    qint64 cpuTimeNs = 0; ///< sampled: CPU time of its thread(s) or process, read from the system
    WorkerPhase phase = WorkerPhase::None; ///< sampled: where its code is now, as the workload published it
    LeakList leaks; ///< found after it ended (see leaksKnown)
    bool leaksKnown = false;
    QString stderrTail; ///< last stderr lines of a worker host (empty for in-process backends)
    qint64 hostPid = 0; ///< pid of the worker host (process backend), 0 otherwise
    QList<qint64> orphanPids; ///< processes it left running after it ended (process backend)

    bool operator==(const WorkerSnapshot &) const = default;
};

} // namespace threadlab
