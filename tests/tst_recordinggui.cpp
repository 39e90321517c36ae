// Widget tests of recordings in the GUI: save a live run, reopen it read-only, refuse bad files, render images.
#include "mainwindow.h"
#include "recording/recordingio.h"
#include "recordingimage.h"
#include "timelineview.h"
#include "workertablemodel.h"
#include "workloads/workload.h"

#include <QAction>
#include <QFile>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace threadlab;

namespace {

WorkerSpec sleepSpec()
{
    WorkerSpec spec;
    spec.backend = Backend::Thread;
    spec.workload = u"sleep-steps"_qs;
    WorkloadRegistry::resolve(spec.workload, QVariantMap { { u"step_ms"_qs, 5 } }, &spec.params, nullptr);
    return spec;
}

bool nonBlank(const QImage &img)
{
    const QRgb first = img.pixel(0, 0);
    int different = 0;
    for (int y = 0; y < img.height(); y += 7)
        for (int x = 0; x < img.width(); x += 7)
            different += img.pixel(x, y) != first;
    return different > 50;
}

} // namespace

class TstRecordingGui : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void saveAndReopen_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << u"run.threadlab.json"_qs;
        QTest::newRow("gzip") << u"run.threadlab.json.gz"_qs;
    }
    void saveAndReopen()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        QList<int> outcomes;
        qsizetype laneEvents = 0;
        {
            MainWindow live;
            live.setInteractive(false);
            QCOMPARE(live.addWorkers(sleepSpec(), 3), 3);
            QList<int> ids;
            for (Worker *w : live.lab().workers())
                ids << w->id();
            live.selectWorkers(ids);
            live.action(ActionId::Start)->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(live.lab().workers().first()->stepsDone() > 2, 10000);
            live.selectWorkers(ids);
            // Action states follow the batched model updates: wait until the request applies.
            QTRY_VERIFY_WITH_TIMEOUT(live.action(ActionId::Request)->isEnabled(), 5000);
            live.action(ActionId::Request)->trigger();
            for (Worker *w : live.lab().workers())
                QTRY_VERIFY_WITH_TIMEOUT(w->isFinished() && w->leaksKnown(), 15000);
            QTRY_COMPARE_WITH_TIMEOUT(
                live.model()->index(0, WorkerTableModel::OutcomeColumn).data(WorkerTableModel::OutcomeRole).toInt(),
                int(Outcome::Stopped), 5000);
            QVERIFY(live.saveRecording(path));
            for (int r = 0; r < live.model()->rowCount(); ++r)
                outcomes << live.model()->index(r, 0).data(WorkerTableModel::OutcomeRole).toInt();
            for (const TimelineLane &lane : live.timeline()->data().lanes())
                laneEvents += qsizetype(lane.fold->marks().size()) + qsizetype(lane.fold->progressTimes().size());
        }
        QVERIFY(QFile::exists(path));
        MainWindow window;
        window.setInteractive(false);
        QVERIFY(window.openRecording(path));
        QVERIFY(window.isShowingRecording());
        QCOMPARE(window.model()->rowCount(), outcomes.size());
        for (int r = 0; r < window.model()->rowCount(); ++r)
            QCOMPARE(window.model()->index(r, 0).data(WorkerTableModel::OutcomeRole).toInt(), outcomes.at(r));
        qsizetype reopened = 0;
        for (const TimelineLane &lane : window.timeline()->data().lanes())
            reopened += qsizetype(lane.fold->marks().size()) + qsizetype(lane.fold->progressTimes().size());
        QCOMPARE(reopened, laneEvents);
        // Read-only: worker actions are disabled and say why.
        window.selectWorkers({ window.model()->workerIdAt(0) });
        QVERIFY(!window.action(ActionId::Request)->isEnabled());
        QVERIFY(window.action(ActionId::Request)->toolTip().contains(u"this is a recording: read-only"_qs));
        // Exports work on it as on a live run.
        QVERIFY(window.exportTrace(dir.filePath(u"t.json"_qs)));
        QVERIFY(window.exportTable(dir.filePath(u"e.csv"_qs), CsvKind::Events));
        QVERIFY(window.exportTable(dir.filePath(u"m.md"_qs), CsvKind::MarkdownMeasurements));
        QVERIFY(window.exportImage(dir.filePath(u"i.png"_qs), 1.0, false));
        ScreenshotOptions shot;
        QVERIFY(!window.renderScreenshot(shot).isNull());
        window.closeRecording();
        QVERIFY(!window.isShowingRecording());
        QCOMPARE(window.model()->rowCount(), 0);
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("corrupt") << QByteArray("{ this is not json");
        QTest::newRow("truncated gzip")
            << RecordingIO::gzipCompress(RecordingIO::toJson(Recording::startNew())).left(20);
        QTest::newRow("future version") << QByteArray(R"({"format":"threadlab-recording","format_version":999})");
    }
    void refusesBadFiles()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.threadlab.json"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        MainWindow window;
        window.setInteractive(false);
        QString error;
        QVERIFY(!window.openRecording(path, &error));
        QVERIFY2(error.contains(u"bad.threadlab.json"_qs), qPrintable(error));
        QVERIFY(!window.isShowingRecording());
    }

    void rendersImages()
    {
        Recording rec = Recording::startNew(u"test"_qs);
        RecordedWorker w;
        w.id = 1;
        w.name = u"w1"_qs;
        w.workload = u"sleep-steps"_qs;
        w.outcome = Outcome::Stopped;
        rec.workers << w;
        const qint64 t = 1'000'000'000;
        rec.events << Event { t, 1, EventKind::Created, 0, {} }
                   << Event { t + 1000, 1, EventKind::StartRequested, 0, {} }
                   << Event { t + 50'000, 1, EventKind::Started, 0, {} }
                   << Event { t + 5'000'000, 1, EventKind::StopRequested, 0, u"request"_qs }
                   << Event { t + 6'000'000, 1, EventKind::StopObserved, 0, {} }
                   << Event { t + 7'000'000, 1, EventKind::Exited, 0, {} }
                   << Event { t + 7'500'000, 1, EventKind::Joined, 0, {} };
        QTemporaryDir dir;
        QString error;
        RecordingImageOptions o;
        o.size = QSize(800, 0);
        QVERIFY2(renderRecordingImage(rec, dir.filePath(u"a.png"_qs), o, &error), qPrintable(error));
        const QImage one(dir.filePath(u"a.png"_qs));
        QCOMPARE(one.width(), 800);
        QVERIFY(nonBlank(one));
        o.scale = 2;
        o.dark = true;
        QVERIFY(renderRecordingImage(rec, dir.filePath(u"b.png"_qs), o, &error));
        const QImage two(dir.filePath(u"b.png"_qs));
        QCOMPARE(two.width(), 1600);
        QCOMPARE(two.height(), one.height() * 2);
        QVERIFY(nonBlank(two));
        QVERIFY(renderRecordingImage(rec, dir.filePath(u"c.svg"_qs), o, &error));
        QFile svg(dir.filePath(u"c.svg"_qs));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.startsWith("<?xml"));
        QVERIFY(text.contains("<svg"));
        QVERIFY(!renderRecordingImage(rec, u"/nonexistent-dir/x.png"_qs, o, &error));
        QVERIFY(error.contains(u"x.png"_qs));
    }
};

QTEST_MAIN(TstRecordingGui)
#include "tst_recordinggui.moc"
