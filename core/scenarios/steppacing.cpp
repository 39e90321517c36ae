// Step mode at a speaking pace: the clicks of a script, the workloads stretched to outlast them, what each click does.
#include "steppacing.h"

#include "workloads/workload.h"

#include <algorithm>
#include <limits>

namespace threadlab {

namespace {

bool sameClick(const ScriptStep &a, const ScriptStep &b)
{
    return a.earliestMs == b.earliestMs && a.atMs == b.atMs && a.from == b.from && a.action == b.action
        && a.action != ScriptAction::Recover;
}

bool targets(const ScriptStep &s, const QString &name)
{
    return s.target == u"*" || s.target == name;
}

qint64 specMax(const WorkloadInfo *info, const QString &param)
{
    if (info)
        for (const ParamSpec &p : info->params)
            if (p.name == param)
                return p.max;
    return 0;
}

/// extraMs more of the worker's own running time, through whichever duration its workload has.
void stretch(ScenarioWorker &w, qint64 extraMs)
{
    const WorkloadInfo *info = WorkloadRegistry::find(w.workload);
    Params &p = w.params;
    const auto extend = [&](const QString &key, qint64 by) {
        const qint64 max = specMax(info, key);
        const qint64 now = p.value(key).toLongLong();
        p.insert(key, max > 0 ? qMin(max, now + by) : now + by);
    };
    const auto perUnitUs = [&](std::initializer_list<const char *> msKeys, const char *usKey) -> qint64 {
        qint64 us = 0;
        for (const char *k : msKeys)
            us += p.value(QString::fromLatin1(k)).toLongLong() * 1000;
        if (usKey)
            us += p.value(QString::fromLatin1(usKey)).toLongLong();
        return qMax<qint64>(1, us);
    };
    const auto units = [&](qint64 unitUs) { return (extraMs * 1000 + unitUs - 1) / unitUs; };

    if (p.contains(u"run_ms"_qs))
        extend(u"run_ms"_qs, extraMs);
    if (p.contains(u"timeout_ms"_qs))
        extend(u"timeout_ms"_qs, extraMs);
    if (p.contains(u"steps"_qs)) {
        // A step lasts its sleep (sleep-steps, slow-cleanup, spawner), its burn (cpu-spin) or its lock cycle.
        const qint64 unitUs = p.contains(u"hold_ms"_qs) ? perUnitUs({ "hold_ms", "gap_ms" }, nullptr)
                                                        : perUnitUs({ "step_ms" }, "step_us");
        extend(u"steps"_qs, units(unitUs));
    }
    if (p.contains(u"records"_qs))
        extend(u"records"_qs, units(perUnitUs({ "record_ms" }, nullptr)));
    if (p.contains(u"tasks"_qs)) {
        // A pool runs `threads` tasks of task_ms at once: the queue still holds work when the stop click comes.
        const qint64 threads = qMax<qint64>(1, p.value(u"threads"_qs).toLongLong());
        extend(u"tasks"_qs, units(perUnitUs({ "task_ms" }, nullptr)) * threads);
    }
}

QString joinNames(const QStringList &names)
{
    if (names.size() <= 1)
        return names.value(0);
    return names.mid(0, names.size() - 1).join(u", "_qs) + u" and "_qs + names.last();
}

/// The worker names an action starting at actionIndex (its whole click) is aimed at.
QStringList clickTargets(const Scenario &sc, int actionIndex)
{
    QStringList out;
    const int end = clickEnd(sc, actionIndex);
    for (int i = actionIndex; i < end; ++i) {
        const QString &t = sc.script.at(i).target;
        if (t == u"*") {
            for (const ScenarioWorker &w : sc.workers)
                if (!out.contains(w.name))
                    out << w.name;
        } else if (!out.contains(t)) {
            out << t;
        }
    }
    return out;
}

QString watchStop(const QString &name, const Expectation &e)
{
    QStringList parts;
    const auto has = [&](Outcome o) { return e.outcomes.contains(o); };
    if (has(Outcome::Ignored) || has(Outcome::Unresponsive))
        parts << u"%1 never observes it and runs on past its deadline"_qs.arg(name);
    else if (has(Outcome::Stopped))
        parts << (e.observedMaxMs ? u"%1 observes it within %2 ms and stops"_qs.arg(name).arg(*e.observedMaxMs)
                                  : u"%1 observes it and stops"_qs.arg(name));
    else if (has(Outcome::Killed))
        parts << u"the kill lands and ends %1"_qs.arg(name);
    else if (has(Outcome::Cancelled))
        parts << u"%1 is cancelled before it ever runs"_qs.arg(name);
    else if (has(Outcome::Crashed))
        parts << u"%1 crashes"_qs.arg(name);
    if (!e.leaksPresent.isEmpty())
        parts << u"it leaves a %1 leak behind"_qs.arg(e.leaksPresent.join(u", "_qs));
    else if (e.leaksAbsent.contains(u"*"_qs))
        parts << u"it leaves nothing behind"_qs;
    else if (!e.leaksAbsent.isEmpty())
        parts << u"it leaves no %1 leak"_qs.arg(e.leaksAbsent.join(u", "_qs));
    return parts.join(u"; "_qs);
}

} // namespace

QList<int> stepClicks(const Scenario &scenario)
{
    QList<int> out;
    for (int i = 0; i < scenario.script.size(); ++i)
        if (i == 0 || !sameClick(scenario.script.at(i - 1), scenario.script.at(i)))
            out << i;
    return out;
}

int clickOf(const Scenario &scenario, int actionIndex)
{
    if (actionIndex < 0 || actionIndex >= scenario.script.size())
        return -1;
    const QList<int> clicks = stepClicks(scenario);
    return int(std::upper_bound(clicks.cbegin(), clicks.cend(), actionIndex) - clicks.cbegin()) - 1;
}

int clickEnd(const Scenario &scenario, int actionIndex)
{
    const int n = int(scenario.script.size());
    if (actionIndex < 0 || actionIndex >= n)
        return n;
    int end = actionIndex + 1;
    while (end < n && sameClick(scenario.script.at(actionIndex), scenario.script.at(end)))
        ++end;
    return end;
}

Scenario pacedForSteps(const Scenario &scenario, int clickAllowanceMs)
{
    Scenario paced = scenario;
    for (ScenarioWorker &w : paced.workers) {
        int started = -1;
        int stopped = -1;
        for (int i = 0; i < paced.script.size() && stopped < 0; ++i) {
            const ScriptStep &s = paced.script.at(i);
            if (!targets(s, w.name))
                continue;
            if (s.action == ScriptAction::Start && started < 0)
                started = i;
            else if (started >= 0 && stopMethodOf(s.action))
                stopped = i;
        }
        if (started < 0 || stopped < 0 || w.params.isEmpty())
            continue;
        const int clicks = clickOf(paced, stopped) - clickOf(paced, started);
        if (clicks <= 0)
            continue;
        const qint64 extra = qint64(clicks) * clickAllowanceMs;
        stretch(w, extra);
        if (w.params.contains(u"timeout_ms"_qs) || w.params.contains(u"tasks"_qs)) {
            // A wait that nothing wakes ends at its timeout, which counts from the start, and a pool that waits
            // for its queue drains it: stretched, either ends up to the allowance after the click, so the click's
            // grace is stretched alike (else the grace, not the lesson, would decide the outcome).
            for (ScriptStep &s : paced.script)
                if (targets(s, w.name) && stopMethodOf(s.action))
                    s.policy.graceMs = int(qMin<qint64>(std::numeric_limits<int>::max(), s.policy.graceMs + extra));
        }
    }
    return paced;
}

QString clickAction(const Scenario &scenario, int actionIndex)
{
    if (actionIndex < 0 || actionIndex >= scenario.script.size())
        return {};
    const ScriptStep &s = scenario.script.at(actionIndex);
    const QString who = joinNames(clickTargets(scenario, actionIndex));
    switch (s.action) {
    case ScriptAction::Start:
        return u"Start %1."_qs.arg(who);
    case ScriptAction::Pause:
        return u"Pause %1."_qs.arg(who);
    case ScriptAction::Resume:
        return u"Resume %1."_qs.arg(who);
    case ScriptAction::Recover:
        return u"Recover the lab (clean up what killed workers left behind)."_qs;
    case ScriptAction::Request:
        return u"Request a stop of %1 (grace %2 ms)."_qs.arg(who).arg(s.policy.graceMs);
    case ScriptAction::Escalate:
        return u"Escalate on %1: request, after %2 ms force (kill timeout %3 ms)."_qs.arg(who)
            .arg(s.policy.graceMs)
            .arg(s.policy.killTimeoutMs);
    case ScriptAction::Sigterm:
        return u"Send SIGTERM to %1 (grace %2 ms)."_qs.arg(who).arg(s.policy.graceMs);
    case ScriptAction::Force:
    case ScriptAction::ForceGroup:
        return u"%1 %2 (kill timeout %3 ms)."_qs
            .arg(s.action == ScriptAction::Force ? u"Force-kill"_qs : u"Force-kill the process group of"_qs, who)
            .arg(s.policy.killTimeoutMs);
    case ScriptAction::AsyncExc:
        return u"Raise SystemExit in %1's Python thread (PyThreadState_SetAsyncExc)."_qs.arg(who);
    case ScriptAction::Settrace:
        return u"Set the kill flag that %1's trace function checks on every line."_qs.arg(who);
    case ScriptAction::InterpreterExit:
        return u"End the Python interpreter that hosts %1."_qs.arg(who);
    }
    return {};
}

QString clickWatch(const Scenario &scenario, int actionIndex)
{
    if (actionIndex < 0 || actionIndex >= scenario.script.size())
        return {};
    const ScriptStep &s = scenario.script.at(actionIndex);
    switch (s.action) {
    case ScriptAction::Start:
        return u"Watch: the lanes start running and the step counts climb."_qs;
    case ScriptAction::Pause:
        return u"Watch: its step count stops climbing."_qs;
    case ScriptAction::Resume:
        return u"Watch: its step count climbs again."_qs;
    case ScriptAction::Recover:
        return u"Watch: the leaks column and the notes say what was cleaned up."_qs;
    default:
        break;
    }
    QStringList parts;
    for (const QString &name : clickTargets(scenario, actionIndex)) {
        const auto it = scenario.expect.constFind(name);
        if (it != scenario.expect.cend()) {
            const QString w = watchStop(name, *it);
            if (!w.isEmpty())
                parts << w;
        }
    }
    return parts.isEmpty() ? QString() : u"Watch: %1."_qs.arg(parts.join(u"; "_qs));
}

} // namespace threadlab
