// The scenario value type: script-action vocabulary and availability checks.
#include "scenario.h"

#include "lab/workerfactory.h"
#include "process/processsystem.h"
#include "workloads/workload.h"

#include <algorithm>

namespace threadlab {

namespace {

struct ActionName
{
    ScriptAction action;
    const char *name;
};

constexpr ActionName ActionNames[] = {
    { ScriptAction::Start, "start" },
    { ScriptAction::Request, "request" },
    { ScriptAction::Force, "force" },
    { ScriptAction::Escalate, "escalate" },
    { ScriptAction::Sigterm, "sigterm" },
    { ScriptAction::ForceGroup, "force-group" },
    { ScriptAction::Pause, "pause" },
    { ScriptAction::Resume, "resume" },
    { ScriptAction::Recover, "recover" },
    { ScriptAction::AsyncExc, "async-exc" },
    { ScriptAction::Settrace, "settrace" },
    { ScriptAction::InterpreterExit, "interpreter-exit" },
};

} // namespace

QString toString(ScriptAction action)
{
    for (const auto &a : ActionNames)
        if (a.action == action)
            return QString::fromLatin1(a.name);
    return {};
}

std::optional<ScriptAction> scriptActionFromString(QStringView s)
{
    for (const auto &a : ActionNames)
        if (s == QLatin1StringView(a.name))
            return a.action;
    return std::nullopt;
}

QStringList scriptActionNames()
{
    QStringList out;
    for (const auto &a : ActionNames)
        out << QString::fromLatin1(a.name);
    return out;
}

std::optional<StopMethod> stopMethodOf(ScriptAction action)
{
    switch (action) {
    case ScriptAction::Request:
        return StopMethod::Request;
    case ScriptAction::Force:
        return StopMethod::Force;
    case ScriptAction::Escalate:
        return StopMethod::Escalate;
    case ScriptAction::Sigterm:
        return StopMethod::Sigterm;
    case ScriptAction::ForceGroup:
        return StopMethod::ForceGroup;
    case ScriptAction::AsyncExc:
        return StopMethod::AsyncExc;
    case ScriptAction::Settrace:
        return StopMethod::Settrace;
    case ScriptAction::InterpreterExit:
        return StopMethod::InterpreterExit;
    default:
        return std::nullopt;
    }
}

QList<EventKind> scriptAnchorKinds()
{
    return { EventKind::Started, EventKind::FirstStep };
}

const ScenarioWorker *Scenario::worker(const QString &name) const
{
    for (const auto &w : workers)
        if (w.name == name)
            return &w;
    return nullptr;
}

QString Scenario::unavailableReason(const ScenarioWorker &w)
{
    if (!w.unavailable.isEmpty())
        return w.unavailable;
    if (!WorkerFactory::findWorkload(w.backend, w.workload))
        return QStringLiteral("workload '%1' is not in this build").arg(w.workload);
    if (const QString why = WorkerFactory::backendUnavailable(w.backend); !why.isEmpty())
        return why;
    if (w.backend == Backend::Process) {
        QString error;
        if (ProcessSystem::hostExecutable(&error).isEmpty())
            return QStringLiteral("the process backend needs the worker host: %1").arg(error);
    }
    return {};
}

QStringList Scenario::unavailableReasons() const
{
    QStringList reasons;
    for (const auto &w : workers) {
        const QString why = unavailableReason(w);
        if (!why.isEmpty())
            reasons << QStringLiteral("%1: %2").arg(w.name, why);
    }
    return reasons;
}

int Scenario::lastActionMs() const
{
    int last = 0;
    for (const auto &s : script)
        last = std::max(last, s.earliestMs);
    return last;
}

} // namespace threadlab
