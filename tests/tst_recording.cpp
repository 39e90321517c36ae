// Recordings survive a save and reopen exactly (plain and gzip), and bad files are refused with clear messages.
#include "missingtool.h"
#include "recording/recordingio.h"
#include "recordingfixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace threadlab;
using namespace threadlab::testing;

namespace {

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void compareLatencies(const Latencies &a, const Latencies &b)
{
    QVERIFY2(a.observed == b.observed, "observed");
    QVERIFY2(a.exited == b.exited, "exited");
    QVERIFY2(a.joined == b.joined, "joined");
    QVERIFY2(a.kill == b.kill, "kill");
    QVERIFY2(a.cleanup == b.cleanup, "cleanup");
}

void compareRecordings(const Recording &a, const Recording &b)
{
    QCOMPARE(a.formatVersion, b.formatVersion);
    QCOMPARE(a.threadlabVersion, b.threadlabVersion);
    QCOMPARE(a.date, b.date);
    QVERIFY(a.machine == b.machine);
    QCOMPARE(a.title, b.title);
    QCOMPARE(a.scenario, b.scenario);
    QCOMPARE(a.parameters, b.parameters);
    QCOMPARE(a.appPid, b.appPid);
    QCOMPARE(a.droppedEvents, b.droppedEvents);
    QCOMPARE(a.runs.size(), b.runs.size());
    for (qsizetype i = 0; i < a.runs.size(); ++i)
        QVERIFY2(a.runs[i] == b.runs[i], qPrintable(QStringLiteral("run %1 differs").arg(i)));
    QCOMPARE(a.workers.size(), b.workers.size());
    for (qsizetype i = 0; i < a.workers.size(); ++i) {
        const RecordedWorker &x = a.workers[i];
        const RecordedWorker &y = b.workers[i];
        QCOMPARE(x.id, y.id);
        QCOMPARE(x.name, y.name);
        QCOMPARE(toString(x.backend), toString(y.backend));
        QCOMPARE(x.workload, y.workload);
        QCOMPARE(x.params, y.params);
        QVERIFY(x.method == y.method);
        QCOMPARE(toString(x.outcome), toString(y.outcome));
        QCOMPARE(x.leaks.size(), y.leaks.size());
        for (qsizetype k = 0; k < x.leaks.size(); ++k) {
            QCOMPARE(x.leaks[k].kind, y.leaks[k].kind);
            QCOMPARE(x.leaks[k].detail, y.leaks[k].detail);
            QCOMPARE(x.leaks[k].meaning, y.leaks[k].meaning);
        }
        QCOMPARE(x.stderrTail, y.stderrTail);
        QCOMPARE(x.hostPid, y.hostPid);
        QCOMPARE(x.stepsDone, y.stepsDone);
        QCOMPARE(x.cpuTimeNs, y.cpuTimeNs);
        compareLatencies(x.latencies, y.latencies);
    }
    QCOMPARE(a.events.size(), b.events.size());
    for (qsizetype i = 0; i < a.events.size(); ++i) {
        const Event &x = a.events[i];
        const Event &y = b.events[i];
        if (x.tNs != y.tNs || x.worker != y.worker || x.kind != y.kind || x.value != y.value || x.detail != y.detail)
            QFAIL(qPrintable(QStringLiteral("event %1 differs").arg(i)));
    }
}

Recording bigRecording(int count)
{
    Recording r = Recording::startNew(QStringLiteral("big"));
    const qint64 base = qint64(123'456'789'000'000);
    for (int w = 1; w <= 10; ++w)
        r.workers.append(
            recorded(w, QStringLiteral("w%1").arg(w), Backend::Thread, QStringLiteral("cpu-spin"), {}, 0, 0));
    r.events.reserve(count);
    for (int i = 0; i < count; ++i) {
        const int w = 1 + i % 10;
        const EventKind kind = i % 100 == 0 ? EventKind::Note : EventKind::Progress;
        r.events.append({ base + qint64(i) * 1'003, w, kind, i,
            kind == EventKind::Note ? QStringLiteral("note %1, \"x\"").arg(i) : QString() });
    }
    r.runs = { RunInfo { 1, QStringLiteral("big"), {}, -1, { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 } } };
    r.refold();
    return r;
}

/// The same recording as a format-version-1 file: no "runs".
QByteArray asVersion1(const Recording &r)
{
    QJsonObject root = QJsonDocument::fromJson(RecordingIO::toJson(r)).object();
    root.remove(QStringLiteral("runs"));
    root.insert(QStringLiteral("format_version"), 1);
    return QJsonDocument(root).toJson();
}

} // namespace

class TestRecording : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<bool>("huge");
        QTest::newRow("plain json") << QStringLiteral("run.threadlab.json") << false;
        QTest::newRow("gzip") << QStringLiteral("run.threadlab.json.gz") << false;
        QTest::newRow("timestamps beyond 2^53") << QStringLiteral("huge.threadlab.json") << true;
    }
    void roundTrip()
    {
        QFETCH(QString, fileName);
        QFETCH(bool, huge);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(fileName);
        const Recording original = sampleRecording(huge);
        QString error;
        QVERIFY2(RecordingIO::save(original, path, &error), qPrintable(error));
        QVERIFY(QFile::exists(path));
        const QByteArray bytes = readFile(path);
        QCOMPARE(RecordingIO::isGzip(bytes), fileName.endsWith(QStringLiteral(".gz")));

        const std::optional<Recording> reopened = RecordingIO::load(path, &error);
        QVERIFY2(reopened, qPrintable(error));
        compareRecordings(original, *reopened);
        // Measurements derived again from the reopened events agree with the saved ones.
        Recording remeasured = *reopened;
        remeasured.refold();
        for (qsizetype i = 0; i < original.workers.size(); ++i)
            compareLatencies(original.workers[i].latencies, remeasured.workers[i].latencies);
    }

    void runsRoundTrip()
    {
        const Recording original = sampleRecording();
        QCOMPARE(original.runs.size(), 2);
        QCOMPARE(original.runs[0].zeroNs, original.events[1].tNs); // worker 1's start request comes first
        QVERIFY(original.runs[1].zeroNs > original.runs[0].zeroNs);
        QString error;
        const auto back = RecordingIO::fromJson(RecordingIO::toJson(original), QStringLiteral("mem"), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->formatVersion, Recording::CurrentFormatVersion);
        QCOMPARE(back->runs, original.runs);
        QCOMPARE(back->runOf(5)->title, QStringLiteral("second action"));
        QCOMPARE(back->runOf(2)->scenario, QStringLiteral("stop-everything"));
    }

    void version1OpensAsOneRun()
    {
        const Recording original = sampleRecording();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.threadlab.json"));
        writeFile(path, asVersion1(original));
        QString error;
        const auto back = RecordingIO::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->formatVersion, 1);
        QCOMPARE(back->runs.size(), 1);
        const RunInfo &run = back->runs.first();
        QCOMPARE(run.id, 1);
        QCOMPARE(run.title, original.title);
        QCOMPARE(run.scenario, original.scenario);
        QCOMPARE(run.workerIds, QList<int>({ 1, 2, 3, 4, 5 }));
        QCOMPARE(run.zeroNs, original.runs.first().zeroNs); // its first start request
        // Saved again, it is a current-version file with that one run.
        const auto again = RecordingIO::fromJson(RecordingIO::toJson(*back), path, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->formatVersion, Recording::CurrentFormatVersion);
        QCOMPARE(again->runs, back->runs);
    }

    void version2WithoutRunsIsRefused()
    {
        QJsonObject root = QJsonDocument::fromJson(RecordingIO::toJson(sampleRecording())).object();
        root.remove(QStringLiteral("runs"));
        QString error;
        QVERIFY(!RecordingIO::fromJson(QJsonDocument(root).toJson(), QStringLiteral("f"), &error));
        QVERIFY2(error.contains(QStringLiteral("\"runs\"")), qPrintable(error));
    }

    /// The latencies, method and outcome a file holds are the fold's, whatever the value said, and a file whose
    /// stored figures disagree with its events opens with the fold's (one truth: the events).
    void storedFiguresAreTheFolds()
    {
        Recording rec = sampleRecording();
        rec.workers[0].outcome = Outcome::Crashed; // a stale value must not reach the file
        rec.workers[0].latencies.kill = 42;
        const QJsonObject root = QJsonDocument::fromJson(RecordingIO::toJson(rec)).object();
        const QJsonArray workers = root.value(QStringLiteral("workers")).toArray();
        QCOMPARE(workers.size(), rec.workers.size());
        for (const QJsonValue &v : workers) {
            const QJsonObject o = v.toObject();
            const int id = o.value(QStringLiteral("id")).toInt();
            const WorkerFold fold = rec.foldOf(id);
            QCOMPARE(o.value(QStringLiteral("outcome")).toString(), toString(fold.outcome()));
            QCOMPARE(o.value(QStringLiteral("outcome_class")).toString(), toString(fold.outcomeClass()));
            QCOMPARE(
                o.value(QStringLiteral("method")).toString(), fold.method() ? toString(*fold.method()) : QString());
            const QJsonObject l = o.value(QStringLiteral("latency_ns")).toObject();
            const Latencies f = fold.latencies();
            const auto same = [&l](const char *key, const std::optional<qint64> &ns) {
                const QJsonValue v = l.value(QString::fromLatin1(key));
                return ns ? v.toInteger(-1) == *ns : v.isNull();
            };
            QVERIFY2(same("observed", f.observed), qPrintable(QString::number(id)));
            QVERIFY2(same("exited", f.exited), qPrintable(QString::number(id)));
            QVERIFY2(same("joined", f.joined), qPrintable(QString::number(id)));
            QVERIFY2(same("kill", f.kill), qPrintable(QString::number(id)));
            QVERIFY2(same("cleanup", f.cleanup), qPrintable(QString::number(id)));
        }
        QCOMPARE(workers.at(0).toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("stopped"));
        // The kill counts only when a kill took effect, from the last kill sent (the escalation's group kill).
        QVERIFY(rec.foldOf(3).latencies().kill == std::optional<qint64>(100'000));
        QVERIFY(!rec.foldOf(5).latencies().kill); // the kill never landed

        // A file that says otherwise opens with what its events say.
        QJsonObject tampered = root;
        QJsonArray ws = workers;
        QJsonObject w0 = ws.at(0).toObject();
        w0.insert(QStringLiteral("outcome"), QStringLiteral("crashed"));
        ws.replace(0, w0);
        tampered.insert(QStringLiteral("workers"), ws);
        QString error;
        const auto back = RecordingIO::fromJson(QJsonDocument(tampered).toJson(), QStringLiteral("t"), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(toString(back->workers.at(0).outcome), QStringLiteral("stopped"));
    }

    void stampedWithThisMachine()
    {
        const Recording r = Recording::startNew(QStringLiteral("t"));
        QVERIFY(!r.threadlabVersion.isEmpty());
        QVERIFY(r.date.isValid());
        QVERIFY(r.machine.cores >= 1);
        QCOMPARE(r.machine.qtVersion, QString::fromLatin1(qVersion()));
        QVERIFY(r.machine.kernel.startsWith(QStringLiteral("linux")));
        QCOMPARE(r.appPid, QCoreApplication::applicationPid());
    }

    void gzipFileIsRealGzip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.threadlab.json.gz"));
        QString error;
        QVERIFY2(RecordingIO::save(sampleRecording(), path, &error), qPrintable(error));
        const QString gzip = QStandardPaths::findExecutable(QStringLiteral("gzip"));
        if (gzip.isEmpty())
            THREADLAB_MISSING(u"gzip is not installed (apt-get install gzip)"_qs);
        QProcess p;
        p.start(gzip, { QStringLiteral("-dc"), path });
        QVERIFY(p.waitForFinished(30'000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(p.readAllStandardOutput(), RecordingIO::toJson(sampleRecording()));
    }

    void documentedTopLevelFields()
    {
        const QJsonDocument doc = QJsonDocument::fromJson(RecordingIO::toJson(sampleRecording()));
        const QJsonObject root = doc.object();
        for (const char *key : { "format", "format_version", "threadlab", "date", "machine", "title", "scenario",
                 "parameters", "app_pid", "dropped_events", "event_count", "runs", "workers", "events" })
            QVERIFY2(root.contains(QString::fromLatin1(key)), key);
        QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("threadlab-recording"));
        QCOMPARE(root.value(QStringLiteral("format_version")).toInt(), Recording::CurrentFormatVersion);
        const QJsonObject e = root.value(QStringLiteral("events")).toArray().first().toObject();
        QCOMPARE(e.value(QStringLiteral("kind")).toString(), QStringLiteral("created"));
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");

        const QByteArray good = RecordingIO::toJson(sampleRecording());
        const QByteArray gz = RecordingIO::gzipCompress(good);
        QByteArray future = good;
        future.replace("\"format_version\": 2", "\"format_version\": 7");
        QByteArray badKind = good;
        badKind.replace("\"kind\": \"stop-observed\"", "\"kind\": \"teleported\"");
        QByteArray corruptGz = gz;
        for (qsizetype i = 20; i < 60; ++i)
            corruptGz[i] = char(corruptGz[i] ^ 0x5a);
        QByteArray lostEvents = good;
        lostEvents.replace("\"event_count\": ", "\"event_count\": 1");

        QTest::newRow("garbage") << QStringLiteral("garbage.threadlab.json") << QByteArray("this is not json, sorry")
                                 << QStringLiteral("corrupt file (invalid JSON at byte");
        QTest::newRow("truncated json") << QStringLiteral("cut.threadlab.json") << good.left(good.size() / 2)
                                        << QStringLiteral("truncated file");
        QTest::newRow("truncated gzip") << QStringLiteral("cut.threadlab.json.gz") << gz.left(gz.size() / 2)
                                        << QStringLiteral("truncated file");
        QTest::newRow("corrupt gzip") << QStringLiteral("bad.threadlab.json.gz") << corruptGz
                                      << QStringLiteral("corrupt gzip data");
        QTest::newRow("future version") << QStringLiteral("future.threadlab.json") << future
                                        << QStringLiteral("made by a newer ThreadLab (recording format version 7");
        QTest::newRow("other json") << QStringLiteral("other.json") << QByteArray("{\"traceEvents\": []}")
                                    << QStringLiteral("not a ThreadLab recording");
        QTest::newRow("empty") << QStringLiteral("empty.threadlab.json") << QByteArray()
                               << QStringLiteral("empty file");
        QTest::newRow("unknown event kind")
            << QStringLiteral("kind.threadlab.json") << badKind << QStringLiteral("has unknown kind \"teleported\"");
        QTest::newRow("event count mismatch")
            << QStringLiteral("count.threadlab.json") << lostEvents << QStringLiteral("events but holds");
        // 64 MiB of spaces compress about 1000:1: refused by the ratio limit, not decompressed in full.
        QTest::newRow("gzip bomb") << QStringLiteral("bomb.threadlab.json.gz")
                                   << RecordingIO::gzipCompress(QByteArray(64 << 20, ' '))
                                   << QStringLiteral("decompresses to more than");
    }
    void refusesBadFiles()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(fileName);
        writeFile(path, content);
        QString error;
        const std::optional<Recording> r = RecordingIO::load(path, &error);
        QVERIFY(!r);
        qInfo().noquote() << error;
        QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1Char('\n')), "the message is one line");
    }

    void refusesMissingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nowhere.threadlab.json"));
        QString error;
        QVERIFY(!RecordingIO::load(path, &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(": cannot open")), qPrintable(error));
    }

    void refusesUnwritablePath()
    {
        QString error;
        QVERIFY(!RecordingIO::save(sampleRecording(), QStringLiteral("/proc/nope/r.threadlab.json"), &error));
        QVERIFY2(error.startsWith(QStringLiteral("/proc/nope/r.threadlab.json: cannot write")), qPrintable(error));
    }

    void hundredThousandEvents_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::newRow("plain") << QStringLiteral("big.threadlab.json");
        QTest::newRow("gzip") << QStringLiteral("big.threadlab.json.gz");
    }
    void hundredThousandEvents()
    {
        QFETCH(QString, fileName);
        const Recording big = bigRecording(100'000);
        QTemporaryDir dir;
        const QString path = dir.filePath(fileName);
        QString error;
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(RecordingIO::save(big, path, &error), qPrintable(error));
        const qint64 saveNs = timer.nsecsElapsed();
        timer.restart();
        const std::optional<Recording> back = RecordingIO::load(path, &error);
        const qint64 loadNs = timer.nsecsElapsed();
        QVERIFY2(back, qPrintable(error));
        qInfo().noquote() << QStringLiteral("100,000 events (%1, %2 bytes): save %3 + load %4 = %5")
                                 .arg(fileName)
                                 .arg(QFileInfo(path).size())
                                 .arg(formatDuration(saveNs), formatDuration(loadNs), formatDuration(saveNs + loadNs));
        compareRecordings(big, *back);
        // The target is < 1 s on an idle machine; the bound is generous for a loaded 2-core CI machine.
        QVERIFY2(saveNs + loadNs < qint64(10'000'000'000), "save + load of 100,000 events took over 10 s");
    }
};

QTEST_GUILESS_MAIN(TestRecording)
#include "tst_recording.moc"
