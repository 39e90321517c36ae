// The state spans of a worker's life (created, starting, running, paused, stopping, cleaning-up) derived from its
// events.
#pragma once

#include "event.h"

namespace threadlab {

/// One span of a worker's life: a live state between two event times. endNs < 0 while still open.
/// Named WorkerStateSpan (not StateSpan) so it never collides with the GUI's own timeline span type.
struct WorkerStateSpan
{
    qint64 beginNs = 0;
    qint64 endNs = -1;
    WorkerState state = WorkerState::Created;
    /// Set on the span that follows a kill-timeout: the worker is still running past its deadline.
    bool unresponsive = false;

    bool isOpen() const { return endNs < 0; }
    /// The vocabulary word of the state ("running", "cleaning-up"...), or "unresponsive".
    QString name() const;
};

using WorkerStateSpanList = QList<WorkerStateSpan>;

/// Derives the spans from one worker's events (any order; they are sorted by time, stable):
/// created→start-requested (created), start-requested→started (starting), started→stop-requested
/// (running), stop-requested→stop-observed (stopping), stop-observed→exited (cleaning-up), paused→resumed
/// (paused, then running again), kill-timeout→exited (unresponsive, keeping the state it had).
/// exited (or joined, when exited is missing) closes the last span; a span with no end stays open (-1).
WorkerStateSpanList stateSpans(const EventList &workerEvents);

/// The state a span-changing event leads to (nullopt for events that do not change the state).
std::optional<WorkerState> stateAfter(EventKind kind);

} // namespace threadlab
