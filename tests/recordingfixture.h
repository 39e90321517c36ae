// Test fixture shared by the recording, trace and CSV tests: hand-built recordings with every kind of worker.
#pragma once

#include "recording/chrometrace.h"
#include "recording/csvexport.h"
#include "recording/recording.h"
#include "recording/recordingio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <utility>

#include <QDateTime>

namespace threadlab::testing {

/// A recorded worker from its snapshot fields; method, outcome and latencies come from the fold (refold()).
inline RecordedWorker recorded(int id, const QString &name, Backend backend, const QString &workload, Params params,
    qint64 stepsDone, qint64 cpuTimeNs, LeakList leaks = {}, const QString &stderrTail = {}, qint64 hostPid = 0)
{
    RecordedWorker w;
    w.id = id;
    w.name = name;
    w.backend = backend;
    w.workload = workload;
    w.params = std::move(params);
    w.stepsDone = stepsDone;
    w.cpuTimeNs = cpuTimeNs;
    w.leaks = std::move(leaks);
    w.leaksKnown = true;
    w.stderrTail = stderrTail;
    w.hostPid = hostPid;
    return w;
}

/// Appends an event at base + offsetNs.
inline void add(Recording &r, qint64 base, int worker, qint64 offsetNs, EventKind kind, qint64 value = 0,
    const QString &detail = {})
{
    r.events.append({ base + offsetNs, worker, kind, value, detail });
}

/// Five workers covering the shapes a trace must draw:
/// 1 thread, stopped cooperatively (full life, progress, tricky details);
/// 2 eventloop, forced (kill-sent, killed);
/// 3 process in its own host pid, escalated (sigterm then force-group);
/// 4 concurrent, paused and resumed, completed without any stop;
/// 5 thread, cpu-ignore forced: unresponsive, never exits (its last span stays open).
/// Plus one lab note, and two runs (workers 1-3, workers 4-5). base is a large CLOCK_MONOTONIC value (beyond 2^53 when
/// huge is set).
inline Recording sampleRecording(bool huge = false)
{
    Recording r = Recording::startNew(QStringLiteral("Sample, with \"quotes\" | pipes\nand a newline"));
    r.date = QDateTime(QDate(2024, 5, 17), QTime(9, 30, 12, 345), Qt::UTC);
    r.scenario = QStringLiteral("stop-everything");
    r.parameters = { { QStringLiteral("grace_ms"), qint64(1000) },
        { QStringLiteral("method"), QStringLiteral("escalate") }, { QStringLiteral("record"), true } };
    r.appPid = 1000;
    r.droppedEvents = 3;
    const qint64 base = huge ? (qint64(1) << 53) + 12345 : qint64(987'654'321'000);

    const RecordedWorker w1 = recorded(1, QStringLiteral("spin, \"one\""), Backend::Thread, QStringLiteral("cpu-spin"),
        { { QStringLiteral("step_us"), qint64(50) }, { QStringLiteral("check_every"), qint64(1) } }, 1234, 5'000'000);
    add(r, base, 1, 0, EventKind::Created, 0, QStringLiteral("spin, \"one\""));
    add(r, base, 1, 1500, EventKind::StartRequested);
    add(r, base, 1, 20'250, EventKind::Started, 4711);
    add(r, base, 1, 70'000, EventKind::FirstStep);
    for (int i = 1; i <= 20; ++i)
        add(r, base, 1, 70'000 + i * 50'001, EventKind::Progress, i);
    add(r, base, 1, 2'000'000, EventKind::StopRequested, qint64(StopMethod::Request), QStringLiteral("request"));
    add(r, base, 1, 2'003'333, EventKind::StopObserved);
    add(r, base, 1, 2'004'000, EventKind::CleanupBegin, 0, QStringLiteral("closing \"file\", then\r\nflushing"));
    add(r, base, 1, 2'104'000, EventKind::CleanupEnd);
    add(r, base, 1, 2'104'100, EventKind::Exited);
    add(r, base, 1, 2'150'000, EventKind::Joined);
    add(r, base, 1, 2'150'010, EventKind::Outcome, qint64(Outcome::Stopped), QStringLiteral("stopped"));

    const RecordedWorker w2
        = recorded(2, QStringLiteral("sleeper"), Backend::EventLoop, QStringLiteral("sleep-steps"), {}, 77, 300'000);
    add(r, base, 2, 100, EventKind::Created);
    add(r, base, 2, 2'000, EventKind::StartRequested);
    add(r, base, 2, 30'000, EventKind::Started);
    add(r, base, 2, 3'000'000, EventKind::StopRequested, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 2, 3'000'100, EventKind::KillSent, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 2, 3'200'000, EventKind::Exited);
    add(r, base, 2, 3'250'000, EventKind::Joined);
    add(r, base, 2, 3'250'001, EventKind::Outcome, qint64(Outcome::Killed), QStringLiteral("killed"));

    const RecordedWorker w3 = recorded(3, QStringLiteral("host"), Backend::Process, QStringLiteral("blocking-wait"),
        { { QStringLiteral("wait"), QStringLiteral("pipe") }, { QStringLiteral("wake"), QStringLiteral("none") } }, 3,
        9'000,
        { { QStringLiteral("process"), QStringLiteral("pid 4243, still alive"),
            QStringLiteral("an orphan survived its host") } },
        QStringLiteral("host: got SIGTERM\nhost: ignoring it, \"on purpose\""), 4242);
    add(r, base, 3, 200, EventKind::Created);
    add(r, base, 3, 3'000, EventKind::StartRequested);
    add(r, base, 3, 900'000, EventKind::Started, 4242);
    add(r, base, 3, 4'000'000, EventKind::StopRequested, qint64(StopMethod::Escalate), QStringLiteral("escalate"));
    add(r, base, 3, 5'000'000, EventKind::KillSent, qint64(StopMethod::Sigterm), QStringLiteral("sigterm"));
    add(r, base, 3, 6'000'000, EventKind::KillSent, qint64(StopMethod::ForceGroup), QStringLiteral("force-group"));
    add(r, base, 3, 6'000'500, EventKind::Exited, 9);
    add(r, base, 3, 6'100'000, EventKind::Joined);
    add(r, base, 3, 6'100'001, EventKind::Outcome, qint64(Outcome::Killed), QStringLiteral("killed"));
    add(r, base, 3, 6'200'000, EventKind::Leak, 0, QStringLiteral("process: pid 4243, still alive"));

    const RecordedWorker w4
        = recorded(4, QStringLiteral("pool task"), Backend::Concurrent, QStringLiteral("sleep-steps"), {}, 10, 1'000);
    add(r, base, 4, 300, EventKind::Created);
    add(r, base, 4, 4'000, EventKind::StartRequested);
    add(r, base, 4, 40'000, EventKind::Started);
    add(r, base, 4, 500'000, EventKind::Paused);
    add(r, base, 4, 800'000, EventKind::Resumed);
    add(r, base, 4, 1'500'000, EventKind::Exited);
    add(r, base, 4, 1'600'000, EventKind::Joined);
    add(r, base, 4, 1'600'001, EventKind::Outcome, qint64(Outcome::Completed), QStringLiteral("completed"));

    const RecordedWorker w5 = recorded(
        5, QStringLiteral("ignorer"), Backend::Thread, QStringLiteral("cpu-ignore"), {}, 999'999, 80'000'000);
    add(r, base, 5, 400, EventKind::Created);
    add(r, base, 5, 5'000, EventKind::StartRequested);
    add(r, base, 5, 50'000, EventKind::Started);
    add(r, base, 5, 7'000'000, EventKind::StopRequested, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 5, 7'000'050, EventKind::KillSent, qint64(StopMethod::Force), QStringLiteral("force"));
    add(r, base, 5, 8'000'000, EventKind::KillTimeout, 0, QStringLiteral("force"));
    add(r, base, 5, 8'000'001, EventKind::Outcome, qint64(Outcome::Unresponsive), QStringLiteral("unresponsive"));

    add(r, base, LabWorkerId, 9'000'000, EventKind::Note, 0, QStringLiteral("lab: recovered, fresh mutex"));

    r.workers = { w1, w2, w3, w4, w5 };
    // Two runs: the first three workers were started together, the last two by a later action.
    r.runs = { RunInfo { 1, QStringLiteral("first action"), QStringLiteral("stop-everything"), -1, { 1, 2, 3 } },
        RunInfo { 2, QStringLiteral("second action"), QString(), -1, { 4, 5 } } };
    r.fillRunZeros();
    r.refold();
    return r;
}

/// Where the exports of a recording disagree with the fold of its events (empty: they all agree). Checks the
/// measurements CSV (method, outcome, every latency), the Chrome trace's state spans (names, begin, end) and the
/// latencies, method and outcome the recording file stores for each worker.
inline QString exportsDisagreeWithFold(const Recording &rec)
{
    const auto cell = [](const std::optional<qint64> &ns) { return ns ? QString::number(*ns) : QString(); };
    const auto stored = [](const QJsonValue &v) { return v.isNull() ? QString() : QString::number(v.toInteger()); };

    // Measurements CSV: no quoted field in the columns compared (names may be quoted, so read from the right).
    const QStringList csvLines = QString::fromUtf8(CsvExport::measurementsCsv(rec)).split(QStringLiteral("\r\n"));
    // File: the derived figures of each worker.
    const QJsonObject file = QJsonDocument::fromJson(RecordingIO::toJson(rec)).object();
    const QJsonArray fileWorkers = file.value(QStringLiteral("workers")).toArray();
    // Trace: the state spans of each track.
    const QJsonObject trace = QJsonDocument::fromJson(ChromeTrace::toJson(rec)).object();
    const QJsonArray traceEvents = trace.value(QStringLiteral("traceEvents")).toArray();
    const qint64 t0 = rec.firstNs();

    for (qsizetype i = 0; i < rec.workers.size(); ++i) {
        const RecordedWorker &w = rec.workers.at(i);
        const WorkerFold fold = rec.foldOf(w.id);
        const Latencies l = fold.latencies();
        const QString who = QStringLiteral("worker %1: ").arg(w.id);
        const QString method = fold.method() ? toString(*fold.method()) : QString();

        // The value the recording holds in memory.
        if (w.outcome != fold.outcome() || w.method != fold.method() || w.latencies.kill != l.kill
            || w.latencies.observed != l.observed || w.latencies.joined != l.joined)
            return who + QStringLiteral("the recording's own figures differ from the fold's");

        // CSV: worker,name,backend,workload,method,outcome,observed,exited,joined,kill,cleanup,steps,cpu,leaks.
        QString csvRow;
        for (const QString &line : csvLines)
            if (line.startsWith(QString::number(w.id) + u','))
                csvRow = line;
        if (csvRow.isEmpty())
            return who + QStringLiteral("no row in the measurements CSV");
        const QString expected = QStringList { method, toString(fold.outcome()), cell(l.observed), cell(l.exited),
            cell(l.joined), cell(l.kill), cell(l.cleanup) }
                                     .join(u',');
        if (!csvRow.contains(u',' + expected + u','))
            return who + QStringLiteral("CSV row \"%1\" lacks \"%2\"").arg(csvRow, expected);

        // File.
        const QJsonObject fw = fileWorkers.at(i).toObject();
        const QJsonObject fl = fw.value(QStringLiteral("latency_ns")).toObject();
        if (fw.value(QStringLiteral("outcome")).toString() != toString(fold.outcome())
            || fw.value(QStringLiteral("method")).toString() != method
            || stored(fl.value(QStringLiteral("observed"))) != cell(l.observed)
            || stored(fl.value(QStringLiteral("exited"))) != cell(l.exited)
            || stored(fl.value(QStringLiteral("joined"))) != cell(l.joined)
            || stored(fl.value(QStringLiteral("kill"))) != cell(l.kill)
            || stored(fl.value(QStringLiteral("cleanup"))) != cell(l.cleanup))
            return who + QStringLiteral("the file stores other figures than the fold's");

        // Trace: the spans of its track, in order.
        const qint64 pid = ChromeTrace::pidOf(rec, w.id);
        const int tid = ChromeTrace::tidOf(w.id);
        QList<QJsonObject> spans;
        for (const QJsonValue &v : traceEvents) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("ph")).toString() == u"X" && e.value(QStringLiteral("pid")).toInteger() == pid
                && e.value(QStringLiteral("tid")).toInteger() == tid)
                spans << e;
        }
        if (spans.size() != fold.spans().size())
            return who + QStringLiteral("%1 trace spans, the fold has %2").arg(spans.size()).arg(fold.spans().size());
        for (qsizetype k = 0; k < spans.size(); ++k) {
            const WorkerStateSpan &s = fold.spans().at(k);
            const double beginUs = spans[k].value(QStringLiteral("ts")).toDouble();
            const double durUs = spans[k].value(QStringLiteral("dur")).toDouble();
            if (spans[k].value(QStringLiteral("name")).toString() != toString(s.state)
                || std::abs(beginUs * 1000.0 - double(s.beginNs - t0)) > 1.0
                || (!s.isOpen() && std::abs(durUs * 1000.0 - double(s.endNs - s.beginNs)) > 1.0))
                return who + QStringLiteral("trace span %1 differs from the fold's").arg(k);
        }
    }
    return {};
}

} // namespace threadlab::testing
