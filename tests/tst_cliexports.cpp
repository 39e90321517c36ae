// The real `threadlab` binary's recordings and exports: --record, --trace, --csv, --measurements, --screenshot, export.
#include "base/vocabulary.h"
#include "recording/recording.h"
#include "recording/recordingio.h"

#include "threadlabprocess.h"
#include <QFile>
#include <QImage>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace threadlab;

class TestCliExports : public QObject
{
    Q_OBJECT

    using Result = ThreadlabResult;

    QString m_binary;
    QTemporaryDir m_dir;

    Result runThreadlab(const QStringList &args, int timeoutMs = 90'000)
    {
        return runThreadlabBinary(m_binary, args, timeoutMs);
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static QByteArray readAll(const QString &file)
    {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return f.readAll();
    }

    /// A parsed Chrome trace: its events, with the thread names of the metadata events.
    static QJsonArray traceEvents(const QString &file, QStringList *threadNames)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(file), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return {};
        const QJsonArray events = doc.object().value(u"traceEvents"_qs).toArray();
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value(u"ph"_qs).toString() == u"M" && e.value(u"name"_qs).toString() == u"thread_name") {
                // "name (backend · workload)": the worker's name first.
                const QString track = e.value(u"args"_qs).toObject().value(u"name"_qs).toString();
                *threadNames << track.section(u" ("_qs, 0, 0);
            }
        }
        return events;
    }

    /// Distinct colours in a sample grid of the image: a blank picture has one or two.
    static int distinctColours(const QImage &image)
    {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        return int(colours.size());
    }

    static QByteArray firstLine(const QByteArray &data)
    {
        const qsizetype eol = data.indexOf('\n');
        return (eol < 0 ? data : data.left(eol)).trimmed();
    }

private slots:
    void initTestCase()
    {
        const QString dir = qEnvironmentVariable("THREADLAB_BIN_DIR");
        QVERIFY2(!dir.isEmpty(), "THREADLAB_BIN_DIR is not set (run through ctest)");
        m_binary = dir + QStringLiteral("/threadlab");
        QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary));
        QVERIFY(m_dir.isValid());
    }

    void runWritesEveryExport_data()
    {
        QTest::addColumn<QString>("recordName");
        QTest::addColumn<QString>("measurementsName");
        QTest::newRow("plain json, csv measurements") << u"run.threadlab.json"_qs << u"m.csv"_qs;
        QTest::newRow("gzip, markdown measurements") << u"run.threadlab.json.gz"_qs << u"m.md"_qs;
    }

    void runWritesEveryExport()
    {
        QFETCH(QString, recordName);
        QFETCH(QString, measurementsName);
        const Result r = runThreadlab({ u"run"_qs, u"--backend"_qs, u"thread"_qs, u"--workload"_qs, u"sleep-steps"_qs,
            u"--param"_qs, u"step_ms=1"_qs, u"--stop"_qs, u"request"_qs, u"--stop-after"_qs, u"20"_qs, u"--workers"_qs,
            u"2"_qs, u"--repeat"_qs, u"2"_qs, u"--quiet"_qs, u"--record"_qs, path(recordName), u"--trace"_qs,
            path(u"run-trace.json"_qs), u"--csv"_qs, path(u"run-events.csv"_qs), u"--measurements"_qs,
            path(measurementsName) });
        QVERIFY2(r.exitCode == 0, r.err.constData());

        // The recording holds every repetition's workers, each with its events.
        QString error;
        const auto rec = RecordingIO::load(path(recordName), &error);
        QVERIFY2(rec, qPrintable(error));
        QCOMPARE(rec->workers.size(), 4);
        QStringList names;
        for (const RecordedWorker &w : rec->workers) {
            names << w.name;
            QCOMPARE(toString(w.outcome), toString(Outcome::Stopped));
            QVERIFY(!rec->eventsOf(w.id).isEmpty());
            QVERIFY(w.latencies.joined.has_value());
        }
        names.sort();
        QCOMPARE(names, (QStringList { u"r1.w1"_qs, u"r1.w2"_qs, u"r2.w1"_qs, u"r2.w2"_qs }));
        QCOMPARE(rec->parameters.value(u"repeat"_qs).toInt(), 2);
        if (recordName.endsWith(u".gz"))
            QVERIFY(RecordingIO::isGzip(readAll(path(recordName))));

        QStringList threads;
        const QJsonArray events = traceEvents(path(u"run-trace.json"_qs), &threads);
        QVERIFY(events.size() > 8);
        for (const QString &n : std::as_const(names))
            QVERIFY2(threads.contains(n), qPrintable(threads.join(u", ")));

        QCOMPARE(
            firstLine(readAll(path(u"run-events.csv"_qs))), QByteArray("worker,name,backend,t_ns,kind,value,detail"));
        const QByteArray measurements = readAll(path(measurementsName));
        if (measurementsName.endsWith(u".md")) {
            QVERIFY2(firstLine(measurements).startsWith("| Worker"), measurements.constData());
            QCOMPARE(measurements.count("| r1.w") + measurements.count("| r2.w"), 4);
        } else {
            QVERIFY2(firstLine(measurements).startsWith("worker,name,backend,workload,method,outcome"),
                measurements.constData());
            QCOMPARE(measurements.count('\n'), 5);
        }
    }

    void scenarioScreenshot_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("width");
        QTest::newRow("png 1x light") << u"shot1.png"_qs << QStringList() << 1600;
        QTest::newRow("png 2x dark") << u"shot2.png"_qs << QStringList { u"--scale"_qs, u"2"_qs, u"--dark"_qs } << 3200;
        QTest::newRow("svg") << u"shot.svg"_qs << QStringList() << 0;
    }

    void scenarioScreenshot()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, extra);
        QFETCH(int, width);
        const QString trace = path(file + u".trace.json"_qs);
        const Result r = runThreadlab(
            QStringList { u"scenario"_qs, u"01-exit-flag"_qs, u"--screenshot"_qs, path(file), u"--trace"_qs, trace }
            + extra);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QStringList threads;
        QVERIFY(!traceEvents(trace, &threads).isEmpty());
        QVERIFY(!threads.isEmpty());
        if (width == 0) {
            const QByteArray svg = readAll(path(file));
            QVERIFY2(svg.contains("<svg"), svg.left(200).constData());
            // The caption is the lesson's title (kept in the recording of the scenario run), not a worker count.
            QVERIFY2(svg.contains("<title>The exit flag"), svg.left(400).constData());
            return;
        }
        QImage image(path(file));
        QVERIFY2(!image.isNull(), qPrintable(path(file)));
        QCOMPARE(image.width(), width);
        QVERIFY(image.height() > 50);
        QVERIFY2(distinctColours(image) > 8, "the screenshot is blank");
    }

    void runScreenshot()
    {
        const Result r = runThreadlab({ u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs, u"--workers"_qs, u"3"_qs,
            u"--stop-after"_qs, u"20"_qs, u"--quiet"_qs, u"--screenshot"_qs, path(u"run.png"_qs), u"--dark"_qs });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QImage image(path(u"run.png"_qs));
        QCOMPARE(image.width(), 1600);
        QVERIFY(distinctColours(image) > 8);
    }

    void exportConvertsASavedRecording()
    {
        const QString rec = path(u"saved.threadlab.json"_qs);
        Result r = runThreadlab({ u"scenario"_qs, u"01-exit-flag"_qs, u"--record"_qs, rec });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QString error;
        const auto recording = RecordingIO::load(rec, &error);
        QVERIFY2(recording, qPrintable(error));
        QCOMPARE(recording->scenario, u"01-exit-flag"_qs);
        QVERIFY(!recording->workers.isEmpty());

        r = runThreadlab({ u"export"_qs, rec, u"--trace"_qs, path(u"x.json"_qs), u"--csv"_qs, path(u"x.csv"_qs),
            u"--measurements"_qs, path(u"x.md"_qs), u"--screenshot"_qs, path(u"x.png"_qs), u"--dark"_qs });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QStringList threads;
        QVERIFY(!traceEvents(path(u"x.json"_qs), &threads).isEmpty());
        for (const RecordedWorker &w : recording->workers)
            QVERIFY2(threads.contains(w.name), qPrintable(w.name));
        const QByteArray csv = readAll(path(u"x.csv"_qs));
        QCOMPARE(firstLine(csv), QByteArray("worker,name,backend,t_ns,kind,value,detail"));
        QCOMPARE(csv.count('\n'), qsizetype(recording->events.size() + 1));
        QVERIFY(readAll(path(u"x.md"_qs)).startsWith("| Worker"));
        const QImage image(path(u"x.png"_qs));
        QCOMPARE(image.width(), 1600);
        QVERIFY(distinctColours(image) > 8);
    }

    void matrixRecord()
    {
        const QString rec = path(u"matrix.threadlab.json"_qs);
        const Result r = runThreadlab({ u"matrix"_qs, u"--backends"_qs, u"thread,jthread"_qs, u"--workloads"_qs,
            u"sleep-steps"_qs, u"--methods"_qs, u"request"_qs, u"--repeat"_qs, u"2"_qs, u"--record"_qs, rec });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QString error;
        const auto recording = RecordingIO::load(rec, &error);
        QVERIFY2(recording, qPrintable(error));
        QCOMPARE(recording->workers.size(), 4);
        QSet<int> ids;
        for (const RecordedWorker &w : recording->workers) {
            ids.insert(w.id);
            QVERIFY2(w.name.contains(u"sleep-steps"), qPrintable(w.name));
            QVERIFY(!recording->eventsOf(w.id).isEmpty());
        }
        QCOMPARE(ids.size(), 4); // renumbered: every run's lab starts its ids at 1
    }

    void badFiles_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QFile corrupt(path(u"corrupt.threadlab.json"_qs));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        corrupt.write("{\"format\": \"threadlab-recording\", \"format_version\": 1, \"events\": [");
        corrupt.close();
        QFile garbage(path(u"garbage.threadlab.json.gz"_qs));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("\x1f\x8b\x08\x00 this is not gzip data at all");
        garbage.close();
        const QString unwritable = u"/nonexistent-threadlab-dir/out.json"_qs;
        QTest::newRow("export corrupt recording") << QStringList { u"export"_qs, path(u"corrupt.threadlab.json"_qs),
            u"--csv"_qs, path(u"c.csv"_qs) } << 2 << path(u"corrupt.threadlab.json"_qs);
        QTest::newRow("export corrupt gzip")
            << QStringList { u"export"_qs, path(u"garbage.threadlab.json.gz"_qs), u"--trace"_qs, path(u"g.json"_qs) }
            << 2 << path(u"garbage.threadlab.json.gz"_qs);
        QTest::newRow("export missing recording") << QStringList { u"export"_qs, path(u"missing.threadlab.json"_qs),
            u"--csv"_qs, path(u"c.csv"_qs) } << 2 << path(u"missing.threadlab.json"_qs);
        QTest::newRow("export nothing to write")
            << QStringList { u"export"_qs, path(u"corrupt.threadlab.json"_qs) } << 2 << u"nothing to write"_qs;
        QTest::newRow("export bad scale") << QStringList { u"export"_qs, path(u"corrupt.threadlab.json"_qs),
            u"--screenshot"_qs, path(u"s.png"_qs), u"--scale"_qs, u"9"_qs }
                                          << 2 << u"--scale"_qs;
        QTest::newRow("gui corrupt recording")
            << QStringList { u"gui"_qs, path(u"corrupt.threadlab.json"_qs) } << 2 << path(u"corrupt.threadlab.json"_qs);
        QTest::newRow("run trace unwritable") << QStringList { u"run"_qs, u"--workload"_qs, u"sleep-steps"_qs,
            u"--stop-after"_qs, u"10"_qs, u"--quiet"_qs, u"--trace"_qs, unwritable }
                                              << 1 << unwritable;
        QTest::newRow("scenario record unwritable")
            << QStringList { u"scenario"_qs, u"01-exit-flag"_qs, u"--record"_qs, unwritable } << 1 << unwritable;
        QTest::newRow("scenario screenshot unknown format") << QStringList { u"scenario"_qs, u"01-exit-flag"_qs,
            u"--screenshot"_qs, path(u"x.jpg"_qs) } << 2 << u".png, .svg"_qs;
        QTest::newRow("scenario dark without screenshot")
            << QStringList { u"scenario"_qs, u"01-exit-flag"_qs, u"--dark"_qs } << 2 << u"--screenshot"_qs;
    }

    void badFiles()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const Result r = runThreadlab(args);
        QCOMPARE(r.exitCode, exitCode);
        QStringList lines = QString::fromUtf8(r.err).split(u'\n', Qt::SkipEmptyParts);
        lines.removeIf([](const QString &l) { return l.startsWith(u"QStandardPaths:"); }); // Qt's, not ours
        const QString err = lines.join(u'\n').trimmed();
        QVERIFY2(err.contains(mentions), qPrintable(err));
        QVERIFY2(!err.contains(u'\n'), qPrintable(err)); // one line
    }

    void benchHasProcessAndGuiRows()
    {
        const Result r = runThreadlab({ u"bench"_qs, u"--repeat"_qs, u"3"_qs, u"--json"_qs, u"-"_qs }, 150'000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        const QJsonArray rows = root.value(u"rows"_qs).toArray();
        QVERIFY(!rows.isEmpty());
        QMap<QString, QJsonObject> byKey;
        for (const QJsonValue &v : rows)
            byKey.insert(v.toObject().value(u"key"_qs).toString(), v.toObject());
        const QStringList keys = byKey.keys();
        const auto row = [&](const QString &key) { return byKey.value(key); };
        for (const QString &key : { u"process.spawn.hello"_qs, u"ref.process.true"_qs, u"process.request.joined"_qs,
                 u"process.force.joined"_qs, u"recorder.event"_qs, u"recorder.worst-1m"_qs,
                 u"thread.cpu-spin.observed"_qs, u"thread.cpu-spin.joined"_qs, u"gui.lag.500"_qs,
                 u"timeline.paint.100k"_qs })
            QVERIFY2(byKey.contains(key), qPrintable(key + u" not in "_qs + keys.join(u"; ")));
        QVERIFY(row(u"process.spawn.hello"_qs).value(u"count"_qs).toInt() >= 3);
        QCOMPARE(row(u"process.force.joined"_qs).value(u"count"_qs).toInt(), 3);
        // Each goal row names its reference, measured in the same run, and says whether the goal is met.
        const QJsonObject force = row(u"process.force.joined"_qs);
        QVERIFY2(force.value(u"ratio"_qs).toDouble() > 0, qPrintable(force.value(u"note"_qs).toString()));
        QVERIFY(!force.value(u"reference"_qs).toString().isEmpty());
        QVERIFY(!force.value(u"goal"_qs).toString().isEmpty());
        QVERIFY(force.value(u"met"_qs).isBool());
        // The GUI rows: measured on an offscreen QApplication (the hooks of app/main.cpp).
        QVERIFY(row(u"gui.lag.500"_qs).value(u"count"_qs).toInt() > 10);
        QVERIFY(row(u"gui.lag.500"_qs).value(u"p99"_qs).toDouble() > 0);
        QVERIFY(row(u"timeline.paint.100k"_qs).value(u"p50"_qs).toDouble() > 0);
        // Interleaved A/B ratios on the lab cases.
        const QJsonObject spin = row(u"thread.cpu-spin.joined"_qs);
        QVERIFY2(spin.value(u"ratio"_qs).toDouble() > 0, qPrintable(keys.join(u"; ")));
        QVERIFY(spin.value(u"reference"_qs).toString().startsWith(u"bare std::thread + atomic<bool>"));
        QVERIFY(root.value(u"load_average"_qs).isObject());
    }
};

QTEST_MAIN(TestCliExports)
#include "tst_cliexports.moc"
