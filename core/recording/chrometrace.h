// Export of a recording as Chrome Trace Event Format JSON, for Perfetto UI and Chrome DevTools.
#pragma once

#include "recording.h"

#include <QByteArray>
#include <QJsonObject>

namespace threadlab {

/// Builds {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}: one pid per ThreadLab process
/// (the app, and each worker-host process by its pid), one named thread track per worker (metadata events
/// process_name, thread_name, thread_sort_index), state spans as complete events (ph "X"), instant events
/// (ph "i", s "t") for the markers, a "steps" counter per worker, and flow arrows (ph "s"/"f", bp "e") from
/// each stop request to the worker's exit. ts and dur are µs relative to the first event, fractional so
/// the ns precision is kept.
class ChromeTrace
{
public:
    static QJsonObject toJsonObject(const Recording &recording);
    static QByteArray toJson(const Recording &recording);

    /// The trace thread id of a worker (its worker id; the lab's own events use tid 0).
    static int tidOf(int workerId) { return workerId == LabWorkerId ? 0 : workerId; }
    /// The trace process id of a worker: its host pid for a process worker, else the app's pid.
    static qint64 pidOf(const Recording &recording, int workerId);
};

/// Entry point for the CLI and the GUI: writes the trace; error gets one line (naming the path) on failure.
bool exportChromeTrace(const Recording &recording, const QString &path, QString *error);

} // namespace threadlab
