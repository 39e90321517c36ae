// The Chrome trace export is valid JSON obeying the Trace Event Format rules, with every worker and marker.
#include "model/workerfold.h"
#include "recording/chrometrace.h"
#include "recordingfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace threadlab;
using namespace threadlab::testing;

namespace {

QJsonArray traceEventsOf(const Recording &r)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(ChromeTrace::toJson(r), &pe);
    if (pe.error != QJsonParseError::NoError)
        qWarning() << "invalid JSON:" << pe.errorString();
    return doc.object().value(QStringLiteral("traceEvents")).toArray();
}

QString ph(const QJsonObject &e)
{
    return e.value(QStringLiteral("ph")).toString();
}

QString track(const QJsonObject &e)
{
    return QStringLiteral("%1/%2")
        .arg(e.value(QStringLiteral("pid")).toInteger())
        .arg(e.value(QStringLiteral("tid")).toInteger());
}

QStringList spanNames(const EventList &events)
{
    QStringList out;
    const WorkerFold fold = WorkerFold::of(events.value(0).worker, events);
    for (const WorkerStateSpan &s : fold.spans())
        out << toString(s.state) + (s.isOpen() ? QStringLiteral("…") : QString());
    return out;
}

} // namespace

class TestChromeTrace : public QObject
{
    Q_OBJECT
private slots:
    void stateSpans_data()
    {
        QTest::addColumn<int>("worker");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("stopped") << 1
                                 << QStringList { QStringLiteral("created"), QStringLiteral("starting"),
                                        QStringLiteral("running"), QStringLiteral("stopping"),
                                        QStringLiteral("cleaning-up") };
        QTest::newRow("killed") << 2
                                << QStringList { QStringLiteral("created"), QStringLiteral("starting"),
                                       QStringLiteral("running"), QStringLiteral("stopping") };
        QTest::newRow("paused and resumed")
            << 4
            << QStringList { QStringLiteral("created"), QStringLiteral("starting"), QStringLiteral("running"),
                   QStringLiteral("paused"), QStringLiteral("running") };
        QTest::newRow("unresponsive stays open")
            << 5
            << QStringList { QStringLiteral("created"), QStringLiteral("starting"), QStringLiteral("running"),
                   QStringLiteral("stopping"), QStringLiteral("unresponsive…") };
    }
    void stateSpans()
    {
        QFETCH(int, worker);
        QFETCH(QStringList, expected);
        const Recording r = sampleRecording();
        EventList events = r.eventsOf(worker);
        QCOMPARE(spanNames(events), expected);
        // Order of the input does not matter; spans are contiguous and never negative.
        std::reverse(events.begin(), events.end());
        const WorkerStateSpanList spans = WorkerFold::of(worker, events).spans();
        QCOMPARE(spanNames(events), expected);
        for (qsizetype i = 0; i < spans.size(); ++i) {
            if (!spans[i].isOpen())
                QVERIFY(spans[i].endNs >= spans[i].beginNs);
            if (i > 0)
                QCOMPARE(spans[i].beginNs, spans[i - 1].endNs);
        }
    }

    void validJsonWithTopLevelFields()
    {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(ChromeTrace::toJson(sampleRecording()), &pe);
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QVERIFY(doc.isObject());
        QVERIFY(doc.object().value(QStringLiteral("traceEvents")).isArray());
        QCOMPARE(doc.object().value(QStringLiteral("displayTimeUnit")).toString(), QStringLiteral("ns"));
    }

    void everyEventHasRequiredFields()
    {
        const QJsonArray events = traceEventsOf(sampleRecording());
        QVERIFY(events.size() > 50);
        const QSet<QString> phases { QStringLiteral("M"), QStringLiteral("X"), QStringLiteral("i"), QStringLiteral("C"),
            QStringLiteral("s"), QStringLiteral("f") };
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const QString p = ph(e);
            QVERIFY2(phases.contains(p), qPrintable(p));
            QVERIFY2(e.value(QStringLiteral("ts")).isDouble(), qPrintable(p));
            QVERIFY(e.value(QStringLiteral("ts")).toDouble() >= 0);
            QVERIFY(e.value(QStringLiteral("pid")).isDouble());
            QVERIFY(e.value(QStringLiteral("tid")).isDouble());
            QVERIFY2(!e.value(QStringLiteral("name")).toString().isEmpty(), qPrintable(p));
            if (p == QStringLiteral("X"))
                QVERIFY(e.value(QStringLiteral("dur")).toDouble(-1) >= 0);
            if (p == QStringLiteral("i"))
                QCOMPARE(e.value(QStringLiteral("s")).toString(), QStringLiteral("t"));
            if (p == QStringLiteral("M"))
                QVERIFY(e.value(QStringLiteral("args")).isObject());
            if (p == QStringLiteral("s") || p == QStringLiteral("f"))
                QVERIFY(e.value(QStringLiteral("id")).isDouble());
        }
    }

    void timesAreRelativeMicrosecondsWithSubMicrosecondPrecision()
    {
        const Recording r = sampleRecording(true); // absolute times beyond 2^53 ns
        const QJsonArray events = traceEventsOf(r);
        double minTs = 1e300;
        QSet<double> startRequested;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (ph(e) == QStringLiteral("M"))
                continue;
            minTs = std::min(minTs, e.value(QStringLiteral("ts")).toDouble());
            if (ph(e) == QStringLiteral("X") && e.value(QStringLiteral("name")).toString() == QStringLiteral("starting")
                && e.value(QStringLiteral("tid")).toInt() == 1) {
                // starting runs 1500 ns → 20250 ns after the first event: ts 1.5 µs, dur 18.75 µs.
                QCOMPARE(e.value(QStringLiteral("ts")).toDouble(), 1.5);
                QCOMPARE(e.value(QStringLiteral("dur")).toDouble(), 18.75);
                startRequested.insert(1.5);
            }
        }
        QCOMPARE(minTs, 0.0);
        QCOMPARE(startRequested.size(), 1);
    }

    void spansAreOrderedAndDisjointPerTrack()
    {
        const QJsonArray events = traceEventsOf(sampleRecording());
        QHash<QString, double> lastEnd;
        QHash<QString, double> lastTs;
        int spans = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (ph(e) != QStringLiteral("X"))
                continue;
            ++spans;
            const double ts = e.value(QStringLiteral("ts")).toDouble();
            const double dur = e.value(QStringLiteral("dur")).toDouble();
            const QString t = track(e);
            QVERIFY2(ts >= lastTs.value(t, 0.0), qPrintable(t));
            QVERIFY2(ts + 1e-6 >= lastEnd.value(t, 0.0), qPrintable(t)); // no overlap on a track
            lastTs[t] = ts;
            lastEnd[t] = ts + dur;
        }
        QVERIFY(spans >= 20);
    }

    void everyWorkerHasANamedTrack()
    {
        const Recording r = sampleRecording();
        const QJsonArray events = traceEventsOf(r);
        QHash<QString, QString> threadNames;
        QHash<qint64, QString> processNames;
        QSet<QString> sorted;
        QSet<QString> usedTracks;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const QString name = e.value(QStringLiteral("name")).toString();
            if (ph(e) == QStringLiteral("M") && name == QStringLiteral("thread_name"))
                threadNames[track(e)]
                    = e.value(QStringLiteral("args")).toObject().value(QStringLiteral("name")).toString();
            else if (ph(e) == QStringLiteral("M") && name == QStringLiteral("process_name"))
                processNames[e.value(QStringLiteral("pid")).toInteger()]
                    = e.value(QStringLiteral("args")).toObject().value(QStringLiteral("name")).toString();
            else if (ph(e) == QStringLiteral("M") && name == QStringLiteral("thread_sort_index"))
                sorted.insert(track(e));
            else if (ph(e) != QStringLiteral("M"))
                usedTracks.insert(track(e));
        }
        for (const RecordedWorker &w : r.workers) {
            const QString t = QStringLiteral("%1/%2").arg(ChromeTrace::pidOf(r, w.id)).arg(w.id);
            QVERIFY2(threadNames.value(t).startsWith(w.name), qPrintable(t));
            QVERIFY2(sorted.contains(t), qPrintable(t));
        }
        // The process worker lives in its host's pid; the others in the app's.
        QCOMPARE(ChromeTrace::pidOf(r, 3), 4242);
        QCOMPARE(ChromeTrace::pidOf(r, 1), r.appPid);
        QVERIFY(processNames.value(4242).contains(QStringLiteral("4242")));
        QVERIFY(processNames.value(r.appPid).startsWith(QStringLiteral("ThreadLab")));
        // Every track an event is drawn on is named.
        for (const QString &t : std::as_const(usedTracks))
            QVERIFY2(threadNames.contains(t), qPrintable(t));
    }

    void everyMarkerIsPresent_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("stop-requested") << QStringLiteral("stop-requested");
        QTest::newRow("stop-observed") << QStringLiteral("stop-observed");
        QTest::newRow("kill-sent") << QStringLiteral("kill-sent");
        QTest::newRow("kill-timeout") << QStringLiteral("kill-timeout");
        QTest::newRow("exited") << QStringLiteral("exited");
    }
    void everyMarkerIsPresent()
    {
        QFETCH(QString, kind);
        const Recording r = sampleRecording();
        QMultiHash<int, double> expected;
        for (const Event &e : r.events)
            if (toString(e.kind) == kind)
                expected.insert(e.worker, double(e.tNs - r.firstNs()) / 1000.0);
        QVERIFY(!expected.isEmpty());
        QMultiHash<int, double> found;
        for (const QJsonValue &v : traceEventsOf(r)) {
            const QJsonObject e = v.toObject();
            if (ph(e) == QStringLiteral("i") && e.value(QStringLiteral("name")).toString() == kind)
                found.insert(e.value(QStringLiteral("tid")).toInt(), e.value(QStringLiteral("ts")).toDouble());
        }
        QCOMPARE(found.size(), expected.size());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(found.contains(it.key(), it.value()), qPrintable(QStringLiteral("worker %1").arg(it.key())));
    }

    void flowsAreBalancedFromStopToExit()
    {
        const Recording r = sampleRecording();
        QHash<int, QJsonObject> starts;
        QHash<int, QJsonObject> finishes;
        for (const QJsonValue &v : traceEventsOf(r)) {
            const QJsonObject e = v.toObject();
            const int id = e.value(QStringLiteral("id")).toInt();
            if (ph(e) == QStringLiteral("s")) {
                QVERIFY2(!starts.contains(id), "flow ids are unique");
                starts.insert(id, e);
            } else if (ph(e) == QStringLiteral("f")) {
                QVERIFY2(!finishes.contains(id), "flow ids are unique");
                QCOMPARE(e.value(QStringLiteral("bp")).toString(), QStringLiteral("e"));
                finishes.insert(id, e);
            }
        }
        QCOMPARE(QSet<int>(starts.keyBegin(), starts.keyEnd()), QSet<int>(finishes.keyBegin(), finishes.keyEnd()));
        // One per stop request of a worker that exited: workers 1, 2 and 3 (5 never exits).
        QCOMPARE(starts.size(), 3);
        for (auto it = starts.cbegin(); it != starts.cend(); ++it) {
            const QJsonObject f = finishes.value(it.key());
            QVERIFY(f.value(QStringLiteral("ts")).toDouble() >= it.value().value(QStringLiteral("ts")).toDouble());
            QCOMPARE(track(f), track(it.value()));
        }
    }

    void emptyRecordingIsStillValid()
    {
        Recording r = Recording::startNew(QStringLiteral("nothing"));
        const QJsonArray events = traceEventsOf(r);
        QVERIFY(!events.isEmpty()); // the app's process_name
        for (const QJsonValue &v : events)
            QCOMPARE(ph(v.toObject()), QStringLiteral("M"));
    }

    void writesAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.trace.json"));
        QString error;
        QVERIFY2(exportChromeTrace(sampleRecording(), path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(f.readAll()).isObject());
        QVERIFY(!exportChromeTrace(sampleRecording(), QStringLiteral("/proc/nope/t.json"), &error));
        QVERIFY2(error.startsWith(QStringLiteral("/proc/nope/t.json: ")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestChromeTrace)
#include "tst_chrometrace.moc"
