// Checks one worker's result against the scenario's expectation; each unmet claim becomes one line.
#include "expectationchecker.h"

#include <algorithm>

namespace threadlab {

namespace {

void checkLatency(QStringList *failures, const char *what, const std::optional<qint64> &ns,
    const std::optional<qint64> &minMs, const std::optional<qint64> &maxMs)
{
    if (!minMs && !maxMs)
        return;
    const QString name = QString::fromLatin1(what);
    if (!ns) {
        *failures << QStringLiteral("%1 latency: not measured (no such event), expected %2")
                         .arg(name,
                             maxMs ? QStringLiteral("≤ %1 ms").arg(*maxMs) : QStringLiteral("≥ %1 ms").arg(*minMs));
        return;
    }
    if (maxMs && *ns > *maxMs * 1'000'000)
        *failures << QStringLiteral("%1 latency %2 > %3 ms").arg(name, formatDuration(*ns)).arg(*maxMs);
    if (minMs && *ns < *minMs * 1'000'000)
        *failures << QStringLiteral("%1 latency %2 < %3 ms").arg(name, formatDuration(*ns)).arg(*minMs);
}

} // namespace

QStringList ExpectationChecker::check(const Expectation &e, const WorkerResult &r)
{
    QStringList failures;
    if (!e.outcomes.isEmpty() && !e.outcomes.contains(r.outcome)) {
        QStringList names;
        for (Outcome o : e.outcomes)
            names << toString(o);
        failures << QStringLiteral("outcome %1, expected %2")
                        .arg(r.outcome == Outcome::None ? QStringLiteral("(none)") : toString(r.outcome),
                            names.join(QStringLiteral(" or ")));
    }
    if (!e.leaksPresent.isEmpty() || !e.leaksAbsent.isEmpty()) {
        if (!r.leaksKnown) {
            failures << QStringLiteral("leaks not probed: the worker's code had not ended");
        } else {
            QStringList found;
            for (const Leak &l : r.leaks)
                found << l.kind;
            for (const QString &k : e.leaksPresent)
                if (!found.contains(k))
                    failures << QStringLiteral("expected a '%1' leak, none reported").arg(k);
            for (const QString &k : e.leaksAbsent)
                for (const Leak &l : r.leaks)
                    if (k == u"*" || l.kind == k)
                        failures << QStringLiteral("unexpected '%1' leak: %2").arg(l.kind, l.detail);
        }
    }
    checkLatency(&failures, "observed", r.latencies.observed, e.observedMinMs, e.observedMaxMs);
    checkLatency(&failures, "joined", r.latencies.joined, e.joinedMinMs, e.joinedMaxMs);
    checkLatency(&failures, "kill", r.latencies.kill, std::nullopt, e.killMaxMs);
    if (e.stepsMin && r.stepsDone < *e.stepsMin)
        failures << QStringLiteral("%1 steps done, expected at least %2").arg(r.stepsDone).arg(*e.stepsMin);
    if (e.stepsMax && r.stepsDone > *e.stepsMax)
        failures << QStringLiteral("%1 steps done, expected at most %2").arg(r.stepsDone).arg(*e.stepsMax);
    const auto noted = [&](const QString &text) {
        return r.stderrTail.contains(text)
            || std::any_of(r.marks.cbegin(), r.marks.cend(), [&](const QString &m) { return m.contains(text); });
    };
    for (const QString &t : e.notesPresent)
        if (!noted(t))
            failures << QStringLiteral("expected a note saying '%1', none on its timeline or stderr").arg(t);
    for (const QString &t : e.notesAbsent)
        if (noted(t))
            failures << QStringLiteral("unexpected note saying '%1'").arg(t);
    if (e.ended && *e.ended != r.ended)
        failures << (r.ended ? QStringLiteral("the worker's code ended, expected it still running")
                             : QStringLiteral("the worker's code is still running, expected it ended"));
    return failures;
}

} // namespace threadlab
