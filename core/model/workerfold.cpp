// The one fold of a worker's events (see workerfold.h for the rules every view relies on).
#include "workerfold.h"

#include <algorithm>

namespace threadlab {

namespace {

/// The state a stop request leads to from a state (unchanged where a request no longer matters).
bool stopMovesFrom(WorkerState s)
{
    return s == WorkerState::Created || s == WorkerState::Starting || s == WorkerState::Running
        || s == WorkerState::Paused;
}

/// The state noticing a stop (or beginning clean-up) leads from.
bool cleanupMovesFrom(WorkerState s)
{
    return stopMovesFrom(s) || s == WorkerState::Stopping;
}

void setFirst(qint64 &slot, qint64 t)
{
    if (slot < 0)
        slot = t;
}

std::optional<qint64> span(qint64 later, qint64 earlier)
{
    if (later < 0 || earlier < 0 || later < earlier)
        return std::nullopt;
    return later - earlier;
}

} // namespace

Outcome settleOutcome(Outcome raw, bool stopRequested, bool stopObserved)
{
    if (raw != Outcome::Completed && raw != Outcome::Stopped)
        return raw;
    if (!stopRequested)
        return Outcome::Completed;
    return stopObserved ? Outcome::Stopped : Outcome::Ignored;
}

OutcomeClass classOf(Outcome outcome)
{
    switch (outcome) {
    case Outcome::None:
        return OutcomeClass::Pending;
    case Outcome::Completed:
        return OutcomeClass::Completed;
    case Outcome::Stopped:
    case Outcome::Cancelled:
        return OutcomeClass::Stopped;
    case Outcome::Killed:
        return OutcomeClass::Killed;
    case Outcome::Ignored:
        return OutcomeClass::Ignored;
    case Outcome::Unresponsive:
        return OutcomeClass::NeverStopped;
    case Outcome::Crashed:
    case Outcome::Failed:
        return OutcomeClass::Crashed;
    }
    return OutcomeClass::Pending;
}

WorkerFold::WorkerFold(int workerId)
    : m_workerId(workerId)
{
}

WorkerFold WorkerFold::of(int workerId, const EventList &events)
{
    WorkerFold fold(workerId);
    fold.add(events);
    return fold;
}

void WorkerFold::add(const EventList &events)
{
    for (const Event &e : events)
        add(e);
}

void WorkerFold::add(const Event &e)
{
    if (e.worker != m_workerId)
        return;
    if (m_events.empty() || e.tNs >= m_events.back().tNs) {
        m_events.push_back(e);
        apply(e);
        return;
    }
    // An older event (a host's own timestamp arriving late): insert it in time order and refold.
    const auto at
        = std::upper_bound(m_events.begin(), m_events.end(), e.tNs, [](qint64 t, const Event &x) { return t < x.tNs; });
    m_events.insert(at, e);
    reset();
    for (const Event &x : m_events)
        apply(x);
}

void WorkerFold::reset()
{
    m_marks.clear();
    m_progressNs.clear();
    m_spans.clear();
    m_kernelSpans.clear();
    m_times = {};
    m_state = WorkerState::Created;
    m_rawOutcome = Outcome::None;
    m_method.reset();
    m_lastKillMethod = StopMethod::Force;
    m_reportedSteps = -1;
    m_killSentBesidesSigterm = false;
    m_ended = false;
}

void WorkerFold::enterState(qint64 tNs, WorkerState state)
{
    if (m_ended || (!m_spans.isEmpty() && m_state == state))
        return;
    if (!m_spans.isEmpty() && m_spans.last().isOpen())
        m_spans.last().endNs = tNs;
    m_spans.append({ tNs, -1, state });
    m_state = state;
}

void WorkerFold::end(qint64 tNs)
{
    if (m_ended)
        return;
    if (!m_spans.isEmpty() && m_spans.last().isOpen())
        m_spans.last().endNs = tNs;
    m_state = WorkerState::Finished;
    m_ended = true;
    if (!m_kernelSpans.isEmpty() && m_kernelSpans.last().isOpen())
        m_kernelSpans.last().endNs = tNs; // the thread is gone: the kernel has nothing more to say
}

void WorkerFold::apply(const Event &e)
{
    if (e.kind == EventKind::Progress) {
        m_progressNs.push_back(e.tNs);
        m_reportedSteps = e.value;
        return;
    }
    if (e.kind == EventKind::KernelState) {
        // Sampled on change by the lab's kernel sampler: a strip under the lane, never a mark. A sample taken
        // after the code ended says nothing about it (the tid may already be another thread's).
        if (m_ended)
            return;
        if (!m_kernelSpans.isEmpty() && m_kernelSpans.last().isOpen())
            m_kernelSpans.last().endNs = e.tNs;
        m_kernelSpans.append({ e.tNs, -1, kernelStateFromLetter(char(e.value)) });
        return;
    }
    m_marks.append(e);
    const qint64 t = e.tNs;
    switch (e.kind) {
    case EventKind::Created:
        setFirst(m_times.created, t);
        if (m_spans.isEmpty())
            enterState(t, WorkerState::Created);
        break;
    case EventKind::StartRequested:
        setFirst(m_times.startRequested, t);
        if (m_state == WorkerState::Created)
            enterState(t, WorkerState::Starting);
        break;
    case EventKind::Started:
        setFirst(m_times.started, t);
        if (m_state == WorkerState::Created || m_state == WorkerState::Starting)
            enterState(t, WorkerState::Running);
        break;
    case EventKind::FirstStep:
        setFirst(m_times.firstStep, t);
        break;
    case EventKind::Paused:
        if (m_state == WorkerState::Running)
            enterState(t, WorkerState::Paused);
        break;
    case EventKind::Resumed:
        if (m_state == WorkerState::Paused)
            enterState(t, WorkerState::Running);
        break;
    case EventKind::StopRequested:
        if (m_times.stopRequested < 0) {
            m_times.stopRequested = t;
            const auto method = stopMethodFromString(e.detail);
            m_method = method ? method : std::optional<StopMethod>(StopMethod(e.value));
        }
        if (stopMovesFrom(m_state))
            enterState(t, WorkerState::Stopping);
        break;
    case EventKind::StopObserved:
        setFirst(m_times.stopObserved, t);
        if (cleanupMovesFrom(m_state))
            enterState(t, WorkerState::CleaningUp);
        break;
    case EventKind::CleanupBegin:
        setFirst(m_times.cleanupBegin, t);
        if (cleanupMovesFrom(m_state))
            enterState(t, WorkerState::CleaningUp);
        break;
    case EventKind::CleanupEnd:
        setFirst(m_times.cleanupEnd, t);
        break;
    case EventKind::Exited:
        setFirst(m_times.exited, t);
        end(t);
        break;
    case EventKind::Joined:
        setFirst(m_times.joined, t);
        end(t);
        break;
    case EventKind::KillSent:
        setFirst(m_times.firstKillSent, t);
        if (!m_ended) {
            m_times.lastKillSent = t;
            const auto method = stopMethodFromString(e.detail);
            m_lastKillMethod = method ? *method : StopMethod(e.value);
            m_killSentBesidesSigterm = m_killSentBesidesSigterm || m_lastKillMethod != StopMethod::Sigterm;
        }
        break;
    case EventKind::KillTimeout:
        // Recordings made before grace-expired existed used kill-timeout for a request's grace too.
        if (m_times.firstKillSent < 0)
            setFirst(m_times.graceExpired, t);
        else
            setFirst(m_times.killTimeout, t);
        enterState(t, WorkerState::Unresponsive);
        break;
    case EventKind::GraceExpired:
        setFirst(m_times.graceExpired, t);
        enterState(t, WorkerState::Unresponsive);
        break;
    case EventKind::Outcome: {
        const Outcome o = Outcome(e.value);
        if (o == Outcome::None)
            break;
        m_rawOutcome = o;
        m_times.outcomeDecided = t;
        if (o == Outcome::Unresponsive)
            enterState(t, WorkerState::Unresponsive);
        else
            end(t); // a final outcome means the code is over (or never ran)
        break;
    }
    default:
        break;
    }
}

Outcome WorkerFold::outcome() const
{
    return settleOutcome(m_rawOutcome, m_times.stopRequested >= 0, m_times.stopObserved >= 0);
}

QStringList WorkerFold::leakLines() const
{
    QStringList lines;
    for (const Event &e : m_marks)
        if (e.kind == EventKind::Leak)
            lines << e.detail;
    return lines;
}

Latencies WorkerFold::latencies() const
{
    const KeyTimes &k = m_times;
    Latencies l;
    l.observed = span(k.stopObserved, k.stopRequested);
    l.exited = span(k.exited, k.stopRequested);
    l.joined = span(k.joined, k.stopRequested);
    if (outcome() == Outcome::Killed)
        l.kill = span(k.joined >= 0 ? k.joined : k.exited, k.lastKillSent);
    l.cleanup = span(k.cleanupEnd, k.cleanupBegin);
    return l;
}

QList<LatencyLine> WorkerFold::latencyLines() const
{
    const KeyTimes &k = m_times;
    const Latencies l = latencies();
    const auto endAfterRequest = span(k.joined >= 0 ? k.joined : k.exited, k.stopRequested);
    QList<LatencyLine> lines;
    const auto add = [&lines](const char *key, const QString &words, std::optional<qint64> ns) {
        if (ns)
            lines.append({ QString::fromLatin1(key), words.arg(formatDuration(*ns)), *ns });
    };
    add("observed", QStringLiteral("stop observed after %1"), l.observed);
    switch (outcome()) {
    case Outcome::Stopped:
        add("stopped",
            k.firstKillSent >= 0 && m_lastKillMethod == StopMethod::Sigterm
                ? QStringLiteral("stopped after SIGTERM in %1 (handled, not a kill)")
                : QStringLiteral("stopped in %1"),
            endAfterRequest);
        break;
    case Outcome::Killed:
        add("kill", QStringLiteral("kill took %1"), l.kill);
        break;
    case Outcome::Ignored:
        if (m_killSentBesidesSigterm)
            add("kill-unlanded", QStringLiteral("kill did not land; ended by itself after %1"), endAfterRequest);
        else if (k.firstKillSent >= 0)
            add("ignored", QStringLiteral("ignored SIGTERM; ended by itself after %1"), endAfterRequest);
        else
            add("ignored", QStringLiteral("ignored the stop; ended by itself after %1"), endAfterRequest);
        break;
    default:
        break;
    }
    add("grace-expired", QStringLiteral("grace expired after %1"), span(k.graceExpired, k.stopRequested));
    add("kill-timeout", QStringLiteral("kill-timeout after %1"), span(k.killTimeout, k.lastKillSent));
    add("cleanup", QStringLiteral("clean-up took %1"), l.cleanup);
    return lines;
}

QString WorkerFold::headline() const
{
    const QList<LatencyLine> lines = latencyLines();
    for (const char *key :
        { "kill", "kill-unlanded", "ignored", "stopped", "kill-timeout", "grace-expired", "observed" })
        for (const LatencyLine &line : lines)
            if (line.key == QLatin1String(key))
                return line.label;
    return {};
}

} // namespace threadlab
