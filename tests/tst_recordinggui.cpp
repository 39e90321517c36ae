// Widget tests of recordings in the GUI: save a live run with its lesson, reopen it, refuse bad files, render slides.
#include "lessonpanel.h"
#include "mainwindow.h"
#include "recording/recordingio.h"
#include "recordingimage.h"
#include "scenariobrowser.h"
#include "scenarios/lessonrecord.h"
#include "scenarios/scenariocatalogue.h"
#include "screenshotdialog.h"
#include "timelineview.h"
#include "workertablemodel.h"
#include "workloads/workload.h"

#include <QAction>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
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

/// One thread worker asked to stop and stopped, as a recording.
Recording stoppedRecording()
{
    Recording rec = Recording::startNew(u"test"_qs);
    RecordedWorker w;
    w.id = 1;
    w.name = u"w1"_qs;
    w.workload = u"sleep-steps"_qs;
    rec.workers << w;
    const qint64 t = 1'000'000'000;
    rec.events << Event { t, 1, EventKind::Created, 0, {} } << Event { t + 1000, 1, EventKind::StartRequested, 0, {} }
               << Event { t + 50'000, 1, EventKind::Started, 0, {} }
               << Event { t + 5'000'000, 1, EventKind::StopRequested, 0, u"request"_qs }
               << Event { t + 6'000'000, 1, EventKind::StopObserved, 0, {} }
               << Event { t + 7'000'000, 1, EventKind::Exited, 0, {} }
               << Event { t + 7'500'000, 1, EventKind::Joined, 0, {} };
    rec.runs = { RunInfo { 1, u"test"_qs, {}, -1, { 1 } } };
    rec.fillRunZeros();
    rec.refold();
    return rec;
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
        // A missing folder is made; one that cannot be (a file is in the way) is the error, naming the file.
        QVERIFY2(renderRecordingImage(rec, dir.filePath(u"new/deeper/d.png"_qs), o, &error), qPrintable(error));
        QVERIFY(QFile::exists(dir.filePath(u"new/deeper/d.png"_qs)));
        QFile blocker(dir.filePath(u"file"_qs));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QVERIFY(!renderRecordingImage(rec, dir.filePath(u"file/x.png"_qs), o, &error));
        QVERIFY(error.contains(u"x.png"_qs));
        // An unknown extension is refused, naming what is allowed; nothing is written.
        QVERIFY(!renderRecordingImage(rec, dir.filePath(u"e.jpg"_qs), o, &error));
        QVERIFY2(error.contains(u".png, .svg"_qs), qPrintable(error));
        QVERIFY(!QFile::exists(dir.filePath(u"e.jpg"_qs)));
    }

    /// A slide: the lesson's title and the fold's headline as the caption, every text at least 14 px at 1×.
    void slidePictureCaptionAndText()
    {
        Recording rec = stoppedRecording();
        QString error;
        const auto sc = ScenarioCatalogue::load(u"01-exit-flag"_qs, &error);
        QVERIFY2(sc, qPrintable(error));
        rec.runs = { RunInfo { 1, sc->title, sc->id, -1, { 1 } } };
        rec.lessons.insert(1, recordedLesson(*sc));
        const QString headline = rec.foldOf(1).headline();
        QVERIFY(!headline.isEmpty());
        QCOMPARE(recordingLessonTitle(rec), sc->title);
        QCOMPARE(recordingHeadline(rec), headline);
        QTemporaryDir dir;
        RecordingImageOptions o;
        o.size = QSize(1000, 0);
        QVERIFY2(renderRecordingImage(rec, dir.filePath(u"s.svg"_qs), o, &error), qPrintable(error));
        QFile f(dir.filePath(u"s.svg"_qs));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString svg = QString::fromUtf8(f.readAll());
        QVERIFY2(svg.contains(u"<title>"_qs + sc->title.toHtmlEscaped()), qPrintable(svg.left(600)));
        QVERIFY2(svg.contains(headline.toHtmlEscaped()), qPrintable(svg.left(600)));
        QVERIFY(!svg.contains(u"workers:"_qs)); // not "1 worker: 1× thread/sleep-steps"
        const QRegularExpression size(u"font-size=\"([0-9.]+)"_qs);
        int sizes = 0;
        for (auto it = size.globalMatch(svg); it.hasNext(); ++sizes) {
            const double px = it.next().captured(1).toDouble();
            QVERIFY2(px >= 14.0, qPrintable(u"text of %1 px"_qs.arg(px)));
        }
        QVERIFY(sizes > 3);
    }

    void screenshotFormatFollowsExtension()
    {
        QTemporaryDir dir;
        const QString recPath = dir.filePath(u"r.threadlab.json"_qs);
        QVERIFY(RecordingIO::save(stoppedRecording(), recPath, nullptr));
        MainWindow window;
        window.setInteractive(false);
        QVERIFY(window.openRecording(recPath));
        ScreenshotOptions o;
        o.size = QSize(900, 0);
        QString error;
        QVERIFY2(window.saveScreenshot(dir.filePath(u"x.svg"_qs), o, &error), qPrintable(error));
        QFile svg(dir.filePath(u"x.svg"_qs));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray head = svg.read(200);
        QVERIFY2(head.startsWith("<?xml") && !head.contains("PNG"), head.constData());
        QVERIFY(window.saveScreenshot(dir.filePath(u"x.png"_qs), o, &error));
        QFile png(dir.filePath(u"x.png"_qs));
        QVERIFY(png.open(QIODevice::ReadOnly));
        QVERIFY(png.read(8).startsWith("\x89PNG"));
        // The whole window as SVG too.
        o.target = ScreenshotOptions::Target::Window;
        QVERIFY2(window.saveScreenshot(dir.filePath(u"w.svg"_qs), o, &error), qPrintable(error));
        o.target = ScreenshotOptions::Target::Timeline;
        QVERIFY(!window.saveScreenshot(dir.filePath(u"x.gif"_qs), o, &error));
        QVERIFY2(error.contains(u"x.gif"_qs) && error.contains(u".png, .svg"_qs), qPrintable(error));
        // A folder that does not exist yet is made.
        QVERIFY2(window.saveScreenshot(dir.filePath(u"slides/images/y.png"_qs), o, &error), qPrintable(error));
        QVERIFY(QFile::exists(dir.filePath(u"slides/images/y.png"_qs)));
    }

    void screenshotHasNoSelection()
    {
        QTemporaryDir dir;
        const QString recPath = dir.filePath(u"r.threadlab.json"_qs);
        QVERIFY(RecordingIO::save(stoppedRecording(), recPath, nullptr));
        MainWindow window;
        window.setInteractive(false);
        QVERIFY(window.openRecording(recPath));
        ScreenshotOptions o;
        o.size = QSize(900, 0);
        window.selectWorkers({});
        const QImage plain = window.renderScreenshot(o);
        window.selectWorkers({ 1 });
        QCOMPARE(window.selectedWorkerIds(), QList<int> { 1 });
        const QImage selected = window.renderScreenshot(o);
        QVERIFY(!plain.isNull());
        QVERIFY(plain == selected);
    }

    void screenshotOptionsPersistAndDialogLabels()
    {
        ScreenshotOptions o;
        o.scale = 2.0;
        o.caption = false;
        o.size = QSize(1200, 0);
        o.target = ScreenshotOptions::Target::Window;
        o.toSettings();
        const ScreenshotOptions back = ScreenshotOptions::fromSettings();
        QCOMPARE(back.scale, 2.0);
        QCOMPARE(back.caption, false);
        QCOMPARE(back.size.width(), 1200);
        QVERIFY(back.target == ScreenshotOptions::Target::Window);
        ScreenshotDialog dialog(back, u"/tmp/x.png"_qs);
        QCOMPARE(dialog.options().scale, 2.0);
        QCOMPARE(dialog.options().caption, false);
        // "&File:" is a mnemonic, never a literal ampersand: every label with one has its buddy.
        const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
        QVERIFY(labels.size() >= 5);
        for (const QLabel *label : labels)
            if (label->text().contains(u'&'))
                QVERIFY2(label->buddy(), qPrintable(label->text()));
        ScreenshotOptions {}.toSettings();
    }

    /// A recording saved from the window keeps the lesson (scenario, expectations, result) and only the workers the
    /// table shows; reopened, it shows the lesson.
    void guiRecordingKeepsLessonAndShownWorkersOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"lesson.threadlab.json"_qs);
        QString title;
        QString verdict;
        {
            MainWindow live;
            live.setInteractive(false);
            // An earlier ad-hoc worker, run and then removed from the table.
            QCOMPARE(live.addWorkers(sleepSpec(), 1), 1);
            Worker *early = live.lab().workers().first();
            const int earlyId = early->id();
            early->start();
            QTRY_VERIFY_WITH_TIMEOUT(early->stepsDone() > 0, 10000);
            early->stop(StopMethod::Request, StopPolicy {});
            QTRY_VERIFY_WITH_TIMEOUT(early->isFinished() && early->hasEnded(), 10000);
            live.lab().clearFinished();
            QTRY_VERIFY(!live.lab().worker(earlyId));

            ScenarioBrowser *browser = live.scenarioBrowser();
            browser->setInteractive(false);
            QVERIFY(browser->choose(u"01-exit-flag"_qs));
            title = browser->chosen()->title;
            QSignalSpy finished(browser, &ScenarioBrowser::scenarioFinished);
            connect(browser, &ScenarioBrowser::scenarioFinished, &live,
                [&verdict](const ScenarioResult &r) { verdict = r.verdict(); });
            browser->run();
            QVERIFY(finished.wait(60000) || !finished.isEmpty());
            QVERIFY(live.saveRecording(path));
            const Recording rec = live.currentRecording();
            QCOMPARE(rec.workers.size(), 2);
            for (const RecordedWorker &w : rec.workers)
                QVERIFY(w.id != earlyId);
            for (const Event &e : rec.events)
                QVERIFY(e.worker != earlyId);
        }
        const auto rec = RecordingIO::load(path, nullptr);
        QVERIFY(rec);
        QCOMPARE(rec->scenario, u"01-exit-flag"_qs);
        QCOMPARE(rec->lessons.size(), 1);
        const RecordedLesson &lesson = rec->lessons.first();
        QCOMPARE(lesson.title(), title);
        QVERIFY(lesson.scenario.value(u"expect"_qs).isObject());
        // The result stored is the run's (its verdict depends on this machine's timing; the test does not).
        QCOMPARE(lesson.result.value(u"verdict"_qs).toString(), verdict);
        QVERIFY(lesson.result.value(u"runs"_qs).toArray().size() == 2);
        MainWindow window;
        window.setInteractive(false);
        QVERIFY(window.openRecording(path));
        QVERIFY(window.lesson()->hasScenario());
        QVERIFY(window.lesson()->toPlainText().contains(title));
        QVERIFY(window.lesson()->toPlainText().contains(u"Result: "_qs + verdict));
    }

    /// A recording of two scenario runs reopens with each run's lesson beside its workers.
    void multiScenarioRecordingReopensWithEachLesson()
    {
        QString error;
        const auto a = ScenarioCatalogue::load(u"01-exit-flag"_qs, &error);
        const auto b = ScenarioCatalogue::load(u"04-cpu-ignore"_qs, &error);
        QVERIFY(a && b);
        Recording rec = stoppedRecording();
        RecordedWorker second = rec.workers.first();
        second.id = 2;
        second.name = u"w2"_qs;
        rec.workers << second;
        for (Event e : stoppedRecording().events) {
            e.worker = 2;
            rec.events << e;
        }
        rec.runs = { RunInfo { 1, a->title, a->id, -1, { 1 } }, RunInfo { 2, b->title, b->id, -1, { 2 } } };
        rec.lessons.insert(1, recordedLesson(*a));
        rec.lessons.insert(2, recordedLesson(*b));
        QTemporaryDir dir;
        const QString path = dir.filePath(u"two.threadlab.json"_qs);
        QVERIFY(RecordingIO::save(rec, path, &error));
        const auto back = RecordingIO::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->lessons.size(), 2);
        QCOMPARE(back->lessonOf(1)->title(), a->title);
        QCOMPARE(back->lessonOf(2)->title(), b->title);
        MainWindow window;
        window.setInteractive(false);
        QVERIFY(window.openRecording(path));
        QVERIFY(window.lesson()->toPlainText().contains(a->title));
        window.selectWorkers({ 2 });
        QTRY_VERIFY(window.lesson()->toPlainText().contains(b->title));
        QVERIFY(!window.lesson()->toPlainText().contains(a->title));
        window.selectWorkers({ 1 });
        QTRY_VERIFY(window.lesson()->toPlainText().contains(a->title));
    }
};

QTEST_MAIN(TstRecordingGui)
#include "tst_recordinggui.moc"
