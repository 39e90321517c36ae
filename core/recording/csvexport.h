// Export of a recording's events and measurements as RFC 4180 CSV, and of its measurements as a Markdown table.
#pragma once

#include "recording.h"

#include <QByteArray>
#include <QString>

namespace threadlab {

/// What exportCsv() writes.
enum class CsvKind {
    Events, ///< worker,name,backend,t_ns,kind,value,detail: one row per event
    Measurements, ///< one row per worker: outcome, latencies in ns, steps, CPU time, leaks
    MarkdownMeasurements, ///< the measurements as a Markdown table (bug reports, notes)
};

/// CSV (RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted, quotes doubled; UTF-8).
class CsvExport
{
public:
    /// Header "worker,name,backend,t_ns,kind,value,detail"; t_ns is the CLOCK_MONOTONIC time as recorded.
    static QByteArray eventsCsv(const Recording &recording);
    /// Header "worker,name,backend,workload,method,outcome,observed_ns,exited_ns,joined_ns,kill_ns,cleanup_ns,
    /// steps,cpu_time_ns,leaks"; an empty cell where a latency does not apply; leaks as "kind: detail; ...".
    static QByteArray measurementsCsv(const Recording &recording);
    /// | Worker | Backend | Workload | Method | Outcome | Observed | Exited | Joined | Kill | Clean-up | Leaks |
    /// with adaptive units (formatDuration) and "–" where a figure does not apply.
    static QString measurementsMarkdown(const Recording &recording);

    /// One field, quoted if it needs to be.
    static QString field(const QString &value);
};

/// Entry point for the CLI and the GUI: writes one export; error gets one line (naming the path) on failure.
bool exportCsv(const Recording &recording, const QString &path, QString *error, CsvKind kind = CsvKind::Events);

} // namespace threadlab
