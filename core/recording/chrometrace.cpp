// Chrome Trace Event Format export: metadata, state spans, markers, step counters and stop→exit flow arrows.
#include "chrometrace.h"

#include "model/workerfold.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <algorithm>

namespace threadlab {

namespace {

qint64 appPidOf(const Recording &rec)
{
    return rec.appPid > 0 ? rec.appPid : 1;
}

// A trace event with its sort keys: metadata first, then by time (so every track is in order).
struct Item
{
    bool metadata = false;
    qint64 tNs = 0;
    int order = 0; // tie-break at equal times: spans end before the next begins, flows after their anchors
    QJsonObject json;
};

QString trackName(const RecordedWorker &w)
{
    return QStringLiteral("%1 (%2 · %3)").arg(w.name, toString(w.backend), w.workload);
}

} // namespace

qint64 ChromeTrace::pidOf(const Recording &recording, int workerId)
{
    const RecordedWorker *w = recording.worker(workerId);
    return w && w->hostPid > 0 ? w->hostPid : appPidOf(recording);
}

QJsonObject ChromeTrace::toJsonObject(const Recording &rec)
{
    const qint64 t0 = rec.firstNs();
    const qint64 tEnd = rec.lastNs();
    const auto us = [t0](qint64 tNs) { return double(tNs - t0) / 1000.0; };
    const qint64 appPid = appPidOf(rec);

    QList<Item> items;
    const auto meta = [&items](const QString &name, qint64 pid, int tid, const QJsonObject &args) {
        items.append({ true, 0, 0,
            QJsonObject { { QStringLiteral("ph"), QStringLiteral("M") }, { QStringLiteral("name"), name },
                { QStringLiteral("pid"), pid }, { QStringLiteral("tid"), tid }, { QStringLiteral("ts"), 0 },
                { QStringLiteral("args"), args } } });
    };

    // Processes: the app, then each worker host.
    meta(QStringLiteral("process_name"), appPid, 0,
        { { QStringLiteral("name"), QStringLiteral("ThreadLab (pid %1)").arg(appPid) } });
    meta(QStringLiteral("process_sort_index"), appPid, 0, { { QStringLiteral("sort_index"), 0 } });
    bool labEvents = false;
    for (const Event &e : rec.events)
        if (e.worker == LabWorkerId && e.kind != EventKind::Progress)
            labEvents = true;
    if (labEvents) {
        meta(QStringLiteral("thread_name"), appPid, 0, { { QStringLiteral("name"), QStringLiteral("lab") } });
        meta(QStringLiteral("thread_sort_index"), appPid, 0, { { QStringLiteral("sort_index"), 0 } });
    }

    // Events grouped per worker, in one pass; every worker's spans and end come from its fold.
    QHash<int, EventList> perWorker;
    for (const Event &e : rec.events)
        perWorker[e.worker].append(e);
    const QHash<int, WorkerFold> folds = rec.folds();

    int sortIndex = 0;
    int flowId = 0;
    for (const RecordedWorker &w : rec.workers) {
        ++sortIndex;
        const qint64 pid = pidOf(rec, w.id);
        const int tid = tidOf(w.id);
        if (pid != appPid) {
            meta(QStringLiteral("process_name"), pid, tid,
                { { QStringLiteral("name"), QStringLiteral("threadlab-worker %1 (pid %2)").arg(w.name).arg(pid) } });
            meta(QStringLiteral("process_sort_index"), pid, tid, { { QStringLiteral("sort_index"), sortIndex } });
        }
        meta(QStringLiteral("thread_name"), pid, tid, { { QStringLiteral("name"), trackName(w) } });
        meta(QStringLiteral("thread_sort_index"), pid, tid, { { QStringLiteral("sort_index"), sortIndex } });

        const EventList events = perWorker.value(w.id);
        const WorkerFold fold = folds.value(w.id, WorkerFold(w.id));
        for (const WorkerStateSpan &s : fold.spans()) {
            const qint64 end = s.isOpen() ? std::max(tEnd, s.beginNs) : s.endNs;
            items.append({ false, s.beginNs, 1,
                QJsonObject { { QStringLiteral("ph"), QStringLiteral("X") },
                    { QStringLiteral("name"), toString(s.state) }, { QStringLiteral("cat"), QStringLiteral("state") },
                    { QStringLiteral("pid"), pid }, { QStringLiteral("tid"), tid },
                    { QStringLiteral("ts"), us(s.beginNs) },
                    { QStringLiteral("dur"), double(end - s.beginNs) / 1000.0 },
                    { QStringLiteral("args"),
                        QJsonObject { { QStringLiteral("state"), toString(s.state) },
                            { QStringLiteral("open"), s.isOpen() } } } } });
        }

        const qint64 exitNs = fold.times().endNs(); // -1 while the code runs

        for (const Event &e : events) {
            if (e.kind == EventKind::Progress) {
                items.append({ false, e.tNs, 2,
                    QJsonObject { { QStringLiteral("ph"), QStringLiteral("C") },
                        { QStringLiteral("name"), QStringLiteral("steps %1").arg(w.name) },
                        { QStringLiteral("pid"), pid }, { QStringLiteral("tid"), tid },
                        { QStringLiteral("ts"), us(e.tNs) },
                        { QStringLiteral("args"), QJsonObject { { QStringLiteral("steps"), e.value } } } } });
                continue;
            }
            QJsonObject args { { QStringLiteral("value"), e.value } };
            if (!e.detail.isEmpty())
                args.insert(QStringLiteral("detail"), e.detail);
            items.append({ false, e.tNs, 2,
                QJsonObject { { QStringLiteral("ph"), QStringLiteral("i") },
                    { QStringLiteral("s"), QStringLiteral("t") }, { QStringLiteral("name"), toString(e.kind) },
                    { QStringLiteral("cat"), QStringLiteral("marker") }, { QStringLiteral("pid"), pid },
                    { QStringLiteral("tid"), tid }, { QStringLiteral("ts"), us(e.tNs) },
                    { QStringLiteral("args"), args } } });
            if (e.kind == EventKind::StopRequested && exitNs >= 0 && exitNs >= e.tNs) {
                ++flowId;
                const QString name = QStringLiteral("stop → exit");
                items.append({ false, e.tNs, 3,
                    QJsonObject { { QStringLiteral("ph"), QStringLiteral("s") }, { QStringLiteral("id"), flowId },
                        { QStringLiteral("name"), name }, { QStringLiteral("cat"), QStringLiteral("stop") },
                        { QStringLiteral("pid"), pid }, { QStringLiteral("tid"), tid },
                        { QStringLiteral("ts"), us(e.tNs) } } });
                items.append({ false, exitNs, 3,
                    QJsonObject { { QStringLiteral("ph"), QStringLiteral("f") },
                        { QStringLiteral("bp"), QStringLiteral("e") }, { QStringLiteral("id"), flowId },
                        { QStringLiteral("name"), name }, { QStringLiteral("cat"), QStringLiteral("stop") },
                        { QStringLiteral("pid"), pid }, { QStringLiteral("tid"), tid },
                        { QStringLiteral("ts"), us(exitNs) } } });
            }
        }
    }

    // The lab's own markers (notes, leaks found by the lab) on the app's "lab" track.
    for (const Event &e : perWorker.value(LabWorkerId)) {
        if (e.kind == EventKind::Progress)
            continue;
        QJsonObject args { { QStringLiteral("value"), e.value } };
        if (!e.detail.isEmpty())
            args.insert(QStringLiteral("detail"), e.detail);
        items.append({ false, e.tNs, 2,
            QJsonObject { { QStringLiteral("ph"), QStringLiteral("i") }, { QStringLiteral("s"), QStringLiteral("t") },
                { QStringLiteral("name"), toString(e.kind) }, { QStringLiteral("cat"), QStringLiteral("marker") },
                { QStringLiteral("pid"), appPid }, { QStringLiteral("tid"), 0 }, { QStringLiteral("ts"), us(e.tNs) },
                { QStringLiteral("args"), args } } });
    }

    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
        if (a.metadata != b.metadata)
            return a.metadata;
        if (a.tNs != b.tNs)
            return a.tNs < b.tNs;
        return a.order < b.order;
    });
    QJsonArray traceEvents;
    for (const Item &item : std::as_const(items))
        traceEvents.append(item.json);

    QJsonArray runs;
    for (const RunInfo &run : rec.runs)
        runs.append(QJsonObject { { QStringLiteral("id"), run.id }, { QStringLiteral("title"), run.title },
            { QStringLiteral("scenario"), run.scenario },
            { QStringLiteral("zero_us"),
                run.zeroNs >= 0 ? QJsonValue(us(run.zeroNs)) : QJsonValue(QJsonValue::Null) } });
    const QJsonObject otherData {
        { QStringLiteral("title"), rec.title },
        { QStringLiteral("scenario"), rec.scenario },
        { QStringLiteral("threadlab"), rec.threadlabVersion },
        { QStringLiteral("date"), rec.date.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("cores"), rec.machine.cores },
        { QStringLiteral("cpu_model"), rec.machine.cpuModel },
        { QStringLiteral("kernel"), rec.machine.kernel },
        { QStringLiteral("qt"), rec.machine.qtVersion },
        { QStringLiteral("t0_monotonic_ns"), QString::number(t0) },
        { QStringLiteral("runs"), runs },
    };
    return QJsonObject { { QStringLiteral("traceEvents"), traceEvents },
        { QStringLiteral("displayTimeUnit"), QStringLiteral("ns") }, { QStringLiteral("otherData"), otherData } };
}

QByteArray ChromeTrace::toJson(const Recording &recording)
{
    return QJsonDocument(toJsonObject(recording)).toJson(QJsonDocument::Compact);
}

bool exportChromeTrace(const Recording &recording, const QString &path, QString *error)
{
    const QByteArray data = ChromeTrace::toJson(recording);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write the trace: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace threadlab
