// One timestamped event of a worker's life, as recorded by the EventLog.
#pragma once

#include "vocabulary.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace threadlab {

/// A worker id; LabWorkerId marks events of the lab itself.
constexpr int LabWorkerId = -1;

struct Event
{
    qint64 tNs = 0; ///< CLOCK_MONOTONIC ns
    int worker = LabWorkerId;
    EventKind kind = EventKind::Note;
    qint64 value = 0; ///< kind-specific number: steps for progress, signal number, fd, tid...
    QString detail; ///< kind-specific text (never filled on a worker's hot path)
};

using EventList = QList<Event>;

} // namespace threadlab

Q_DECLARE_METATYPE(threadlab::Event)
Q_DECLARE_METATYPE(threadlab::EventList)
