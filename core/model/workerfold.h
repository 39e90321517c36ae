// The one fold of a worker's events: live state, state spans, marks, key times, latencies, outcome and its class.
#pragma once

#include "base/event.h"
#include "base/measurements.h"
#include "base/vocabulary.h"
#include "base/workerphase.h"

#include <QList>
#include <QString>
#include <optional>
#include <vector>

namespace threadlab {

/// One span of a worker's life: a live state between two event times. endNs < 0 while still open.
struct WorkerStateSpan
{
    qint64 beginNs = 0;
    qint64 endNs = -1;
    WorkerState state = WorkerState::Created;

    bool isOpen() const { return endNs < 0; }
    bool operator==(const WorkerStateSpan &) const = default;
};

using WorkerStateSpanList = QList<WorkerStateSpan>;

/// One span of the kernel's view of a worker's thread (from its kernel-state events). endNs < 0 while open: the
/// last sample holds until the worker's end.
struct KernelStateSpan
{
    qint64 beginNs = 0;
    qint64 endNs = -1;
    KernelState state = KernelState::Unknown;

    bool isOpen() const { return endNs < 0; }
    bool operator==(const KernelStateSpan &) const = default;
};

using KernelStateSpanList = QList<KernelStateSpan>;

/// The times (CLOCK_MONOTONIC ns) of a worker's key events; -1 where the event did not happen.
/// "first" and "last" matter only for kinds that can repeat (a stop request, a kill).
struct KeyTimes
{
    qint64 created = -1;
    qint64 startRequested = -1;
    qint64 started = -1;
    qint64 firstStep = -1;
    qint64 stopRequested = -1; ///< the first stop request
    qint64 stopObserved = -1;
    qint64 cleanupBegin = -1;
    qint64 cleanupEnd = -1;
    qint64 exited = -1; ///< the code returned or unwound
    qint64 joined = -1; ///< the owner knew it was over
    qint64 firstKillSent = -1;
    qint64 lastKillSent = -1; ///< the last kill (or SIGTERM) sent before the code ended
    qint64 killTimeout = -1;
    qint64 graceExpired = -1;
    qint64 outcomeDecided = -1; ///< the last outcome event

    /// When the code ended: exited, else joined, else -1.
    qint64 endNs() const { return exited >= 0 ? exited : joined; }
    bool operator==(const KeyTimes &) const = default;
};

/// One measured figure with the words that say what happened ("kill took 362 µs").
struct LatencyLine
{
    QString key; ///< stable id: observed, stopped, kill, kill-unlanded, ignored, grace-expired, kill-timeout, cleanup
    QString label; ///< the sentence shown to people, with the figure formatted
    qint64 ns = 0;
    bool operator==(const LatencyLine &) const = default;
};

/// The outcome a worker's end means, given what happened to it: code that returned after a stop request it
/// never observed is Ignored, after one it observed Stopped, without any Completed. Other raw outcomes
/// (killed, cancelled, crashed, failed, unresponsive) stand. Used by the workers and the fold alike.
Outcome settleOutcome(Outcome raw, bool stopRequested, bool stopObserved);

/// The class of an outcome (matrix cells, lesson groups). None is Pending while the run goes on.
OutcomeClass classOf(Outcome outcome);

/// The incremental fold of one worker's events. Every view, export, lesson and CLI line reads a worker's
/// state, spans, latencies and outcome from here; nothing re-derives them. Events may come in batches and out
/// of order (a worker host stamps its own events): an event older than the newest one refolds the worker.
class WorkerFold
{
public:
    explicit WorkerFold(int workerId = LabWorkerId);
    /// A fold of these events (any order).
    static WorkerFold of(int workerId, const EventList &events);

    /// Adds one event of this worker (events of other workers are ignored).
    void add(const Event &e);
    void add(const EventList &events);

    int workerId() const { return m_workerId; }
    qsizetype eventCount() const { return qsizetype(m_events.size()); }
    /// Every event added, time-sorted (stable for equal times).
    const std::vector<Event> &events() const { return m_events; }

    /// The live state: Finished only once the code has ended; Unresponsive while it runs past a deadline.
    WorkerState state() const { return m_state; }
    /// The settled outcome (None until decided; Unresponsive while past a deadline and still running).
    Outcome outcome() const;
    OutcomeClass outcomeClass() const { return classOf(outcome()); }
    /// The code has ended (exited or joined, or an outcome that means it never ran).
    bool hasEnded() const { return m_ended; }
    /// The method of the first stop request (empty: never asked to stop).
    std::optional<StopMethod> method() const { return m_method; }

    const WorkerStateSpanList &spans() const { return m_spans; }
    /// The kernel's view of the worker's thread over time (kernel-state events), time-sorted.
    const KernelStateSpanList &kernelSpans() const { return m_kernelSpans; }
    /// The events that are not progress samples, time-sorted: what the timeline marks.
    const EventList &marks() const { return m_marks; }
    /// Times of the progress samples (worker hosts report them), sorted.
    const std::vector<qint64> &progressTimes() const { return m_progressNs; }
    /// The last step count reported by a progress event (-1: none; in-process steps are sampled instead).
    qint64 reportedSteps() const { return m_reportedSteps; }
    const KeyTimes &times() const { return m_times; }
    qint64 firstNs() const { return m_events.empty() ? -1 : m_events.front().tNs; }
    qint64 lastNs() const { return m_events.empty() ? -1 : m_events.back().tNs; }
    /// "kind: detail" of each leak event.
    QStringList leakLines() const;

    /// The stop latencies; kill only when a kill took effect (the code was ended by it).
    Latencies latencies() const;
    /// Each figure with its wording, in the order a person reads them.
    QList<LatencyLine> latencyLines() const;
    /// The single most telling line ("kill took 362 µs"), empty when nothing was measured.
    QString headline() const;

private:
    void reset();
    void apply(const Event &e);
    void enterState(qint64 tNs, WorkerState state);
    void end(qint64 tNs);

    int m_workerId;
    std::vector<Event> m_events;
    EventList m_marks;
    std::vector<qint64> m_progressNs;
    WorkerStateSpanList m_spans;
    KernelStateSpanList m_kernelSpans;
    KeyTimes m_times;
    WorkerState m_state = WorkerState::Created;
    Outcome m_rawOutcome = Outcome::None;
    std::optional<StopMethod> m_method;
    StopMethod m_lastKillMethod = StopMethod::Force;
    qint64 m_reportedSteps = -1;
    bool m_killSentBesidesSigterm = false; ///< a real kill (not a SIGTERM the code may handle) was sent
    bool m_ended = false;
};

} // namespace threadlab
