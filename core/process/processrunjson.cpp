// The process-specific fields of a run's JSON.
#include "processrunjson.h"

#include "processsystem.h"
#include "processworker.h"

#include <QJsonArray>

namespace threadlab {

namespace {

QJsonArray pids(const QList<qint64> &list)
{
    QJsonArray a;
    for (qint64 p : list)
        a.append(p);
    return a;
}

} // namespace

QJsonObject processRunJson(const Worker &worker)
{
    const auto *w = qobject_cast<const ProcessWorker *>(&worker);
    if (!w)
        return {};
    QJsonObject o;
    o.insert(u"pid"_qs, w->pid());
    o.insert(u"pgid"_qs, w->pgid());
    if (w->exitSignal())
        o.insert(u"exit"_qs,
            QJsonObject {
                { u"signal"_qs, ProcessSystem::signalName(*w->exitSignal()) }, { u"number"_qs, *w->exitSignal() } });
    else if (w->exitCode())
        o.insert(u"exit"_qs, QJsonObject { { u"code"_qs, *w->exitCode() } });
    else
        o.insert(u"exit"_qs, QJsonValue::Null);
    o.insert(u"orphans"_qs, pids(w->orphanPids()));
    o.insert(u"children"_qs, pids(w->childPids()));
    o.insert(u"stderr"_qs, w->stderrTail().right(4096));
    if (!w->protocolFault().isEmpty())
        o.insert(u"protocol_fault"_qs, w->protocolFault());
    return o;
}

} // namespace threadlab
