// The limits of a stop and the leak kinds, defined once for the CLI, the GUI, the scenario files and the matrix.
#pragma once

#include "vocabulary.h"

#include <QStringList>

namespace threadlab {

/// An inclusive range of milliseconds, with the words an error message uses ("0..600000").
struct MsRange
{
    int min = 0;
    int max = 0;

    constexpr bool contains(qint64 ms) const { return ms >= min && ms <= max; }
    QString text() const { return QStringLiteral("%1..%2").arg(min).arg(max); }
};

/// How long a stop request may wait before it escalates or is called unresponsive (0: at once).
inline constexpr MsRange GraceMsRange { 0, 600'000 };
/// How long a kill may take before the worker is called unresponsive (a kill cannot land in 0 ms).
inline constexpr MsRange KillTimeoutMsRange { 1, 600'000 };

/// The kinds of leak the ledger reports (the ResourceKind spellings), in the order the docs list them.
inline QStringList leakKindNames()
{
    QStringList out;
    for (ResourceKind k : { ResourceKind::Lock, ResourceKind::Fd, ResourceKind::File, ResourceKind::Thread,
             ResourceKind::Memory, ResourceKind::Process })
        out << toString(k);
    return out;
}

} // namespace threadlab
