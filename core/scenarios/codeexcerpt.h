// The short, readable excerpt of a workload's code shown beside the run, with the line of each phase marked.
#pragma once

#include "base/vocabulary.h"
#include "base/workerphase.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <optional>

namespace threadlab {

/// One excerpt: the lines shown (markers stripped) and, per phase, the line its code is on when it publishes it.
/// Excerpts are resources (resources/code/<workload>.cpp.txt, <workload>.py.txt), kept beside the real code:
/// a line ending in "//@ phase..." (C++) or "#@ phase..." (Python) is where that phase is published.
struct CodeExcerpt
{
    QString workload;
    QString language; ///< "C++" or "Python"
    QString resource; ///< the resource path it was read from
    QStringList lines;
    QHash<WorkerPhase, int> phaseLines; ///< phase -> index in lines (the first line marked with it)

    /// The line to highlight for a phase (-1: not marked).
    int lineOf(WorkerPhase phase) const { return phaseLines.value(phase, -1); }
};

class CodeExcerpts
{
public:
    /// The excerpt of the workload for the backend (C++ for the Qt and host backends, Python for the Python
    /// host's); nullopt and one line in error when there is none or it is malformed.
    static std::optional<CodeExcerpt> load(const QString &workload, Backend backend, QString *error = nullptr);
    /// Parses an excerpt's text; false and one line in error on an unknown phase word in a marker.
    static bool parse(const QString &text, const QString &commentMarker, CodeExcerpt *out, QString *error);
    static QString resourcePath(const QString &workload, Backend backend);
    /// The backend's native stop check: what shouldStop() is on this backend (one line, for the panel's header).
    static QString stopCheckOf(Backend backend);
};

} // namespace threadlab
