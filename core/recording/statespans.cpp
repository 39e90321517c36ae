// Derivation of a worker's state spans from its events, shared by the exports and the GUI timeline.
#include "statespans.h"

#include <algorithm>

namespace threadlab {

QString WorkerStateSpan::name() const
{
    return unresponsive ? QStringLiteral("unresponsive") : toString(state);
}

std::optional<WorkerState> stateAfter(EventKind kind)
{
    switch (kind) {
    case EventKind::Created:
        return WorkerState::Created;
    case EventKind::StartRequested:
        return WorkerState::Starting;
    case EventKind::Started:
    case EventKind::Resumed:
        return WorkerState::Running;
    case EventKind::Paused:
        return WorkerState::Paused;
    case EventKind::StopRequested:
        return WorkerState::Stopping;
    case EventKind::StopObserved:
    case EventKind::CleanupBegin:
        return WorkerState::CleaningUp;
    default:
        return std::nullopt;
    }
}

WorkerStateSpanList stateSpans(const EventList &workerEvents)
{
    EventList events = workerEvents;
    std::stable_sort(events.begin(), events.end(), [](const Event &a, const Event &b) { return a.tNs < b.tNs; });

    WorkerStateSpanList spans;
    bool ended = false;
    const auto closeOpen = [&spans](qint64 t) {
        if (!spans.isEmpty() && spans.last().isOpen())
            spans.last().endNs = t;
    };
    for (const Event &e : events) {
        if (ended)
            break;
        if (e.kind == EventKind::Exited || e.kind == EventKind::Joined) {
            closeOpen(e.tNs);
            ended = true;
            continue;
        }
        if (e.kind == EventKind::KillTimeout) {
            if (!spans.isEmpty() && spans.last().isOpen() && spans.last().unresponsive)
                continue;
            const WorkerState state = spans.isEmpty() ? WorkerState::Running : spans.last().state;
            closeOpen(e.tNs);
            spans.append({ e.tNs, -1, state, true });
            continue;
        }
        const auto next = stateAfter(e.kind);
        if (!next)
            continue;
        if (!spans.isEmpty() && spans.last().isOpen()) {
            // An unresponsive span only ends when the code really ends; a repeated state does not split a span.
            if (spans.last().unresponsive || spans.last().state == *next)
                continue;
            // A late stop-requested after the worker already noticed a stop does not go back to stopping.
            if (spans.last().state == WorkerState::CleaningUp && *next == WorkerState::Stopping)
                continue;
        }
        closeOpen(e.tNs);
        spans.append({ e.tNs, -1, *next, false });
    }
    return spans;
}

} // namespace threadlab
